import type { ModelId } from '../../scripts/lib/cameras.ts';

/** A Wi-Fi network the emulated camera's radio can join (the test's access point). */
export interface AccessPoint {
  ssid: string;
  passphrase: string;
}

/**
 * What the emulator knows about one camera. The firmware model itself is the folder
 * beside this file's entry: <model>/init.sh (/init after camera-kernel, the stock boot up
 * to the card) and <model>/stock/ (the vendor programs' stand-in table and behaviours,
 * /etc/stock in the guest, with the ones both cameras share from stock/).
 * The folder's model.ts exports `model`; the camera itself (RAM, kernel, card paths) is
 * overlays/<model>/camera.ts.
 */
export interface EmulatedModel {
  id: ModelId;
  /** The name the camera's Wi-Fi driver gives its interface; unset: the board's eth0. */
  wifiInterface?: string;
  /** The network the camera joins when the card leaves Wi-Fi to the stock firmware. */
  defaultAccessPoint?: AccessPoint;
  /** The sensor behind the vendor RTSP server: rtsp-sensor.py servers, one "SPEC PORT" line each in /etc/stock/sensor-port. */
  sensor: string[];
  /** Vendor programs of the stock root file system, as stand-ins at these paths. */
  rootStandins?: string[];
  /** Makes the camera's flash with its stock programs in `dir`, when the model has one. */
  flash?(dir: string): Promise<string>;
}
