// A network namespace of the test's own, whose routing table plays the camera's: one
// interface (a veth pair, both ends inside) on a network of its own and a default route
// through that network's gateway. camfw-api, run inside it under qemu-arm, reads that
// table from /proc/net/route to tell the camera's own network from the rest.
import { run } from '../scripts/lib/run.ts';

export interface CameraNetwork {
  /** The namespace's name, for `ip netns exec`. */
  name: string;
  stop(): Promise<void>;
}

/** The camera at `address` (CIDR, e.g. 192.0.2.10/24) with its default route through `gateway`. Needs root. */
export async function cameraNetwork(address: string, gateway: string): Promise<CameraNetwork> {
  const name = `camfw-test-${process.pid}`;
  const ip = (...args: string[]) => run(['ip', '-n', name, ...args]);
  await run(['ip', 'netns', 'add', name]);
  const stop = async () => void (await run(['ip', 'netns', 'delete', name], { allowFail: true }));
  try {
    await ip('link', 'set', 'lo', 'up');
    await ip('link', 'add', 'wlan0', 'type', 'veth', 'peer', 'name', 'air');
    await ip('addr', 'add', address, 'dev', 'wlan0');
    await ip('link', 'set', 'wlan0', 'up');
    await ip('link', 'set', 'air', 'up');
    await ip('route', 'add', 'default', 'via', gateway);
  } catch (e) {
    await stop();
    throw e;
  }
  return { name, stop };
}
