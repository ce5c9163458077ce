// camfw-api from the browser: JSON in and out, the session's CSRF token on every POST, and
// the login page when the session has ended.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

let csrf = '';

async function answer<T>(r: Response): Promise<T> {
  if (r.status === 401) {
    location.replace('/public/login.html');
    throw new ApiError('not logged in', undefined, 401);
  }
  const body = (await r.json().catch(() => ({ error: `HTTP ${r.status}` }))) as T & { error?: string; field?: string };
  if (!r.ok) throw new ApiError(body.error ?? `HTTP ${r.status}`, body.field, r.status);
  return body;
}

export async function get<T>(call: string): Promise<T> {
  return answer<T>(await fetch(`/api/${call}`, { credentials: 'same-origin', cache: 'no-store' }));
}

export async function post<T = { ok: boolean }>(call: string, body: Record<string, unknown> = {}): Promise<T> {
  const r = await fetch(`/api/${call}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
    body: JSON.stringify(body),
  });
  return answer<T>(r);
}

/** Who is logged in; keeps the session's CSRF token for the POSTs. */
export async function session(): Promise<{ logged_in: boolean; user?: string }> {
  const s = await get<{ logged_in: boolean; user?: string; csrf?: string }>('session');
  if (!s.logged_in) location.replace('/public/login.html');
  csrf = s.csrf ?? '';
  return s;
}

export function setCsrf(token: string): void {
  csrf = token;
}

export interface Service {
  name: string;
  state: string;
  pid: number;
  uptime: number;
  restarts: number;
  enabled: boolean;
  last_exit: string;
}

export interface Output {
  state: string;
  kbps: number;
  frames: number;
  starts: number;
  retry_in: number;
  error: string;
  error_time: number;
  target?: string;
  segment?: string;
  free_mb?: number;
}

export interface StreamState {
  time: number;
  input: { state: string; kbps: number; video: string; audio: string; reconnects: number; error: string };
  rtmp?: Output;
  record?: Output;
}

export interface Status {
  card: {
    model: string;
    cameraName: string;
    soc: string;
    kernel: string;
    version: string;
    revision: string;
    buildDate: string;
    toolchain: string;
    cardDir: string;
    network: string;
  } | null;
  uptime: number;
  load: [number, number, number] | null;
  memory: { total_kb: number; free_kb: number; available_kb: number };
  storage?: { total_mb: number; free_mb: number };
  time: number;
  local_time: string;
  hostname: string;
  rtsp: string;
  services: Service[];
  stream: StreamState | null;
  vendor: Array<{ path: string; what: string; built: string; present: boolean }>;
  telnet_port_open: boolean;
  /** The SSH host key's fingerprint once the ssh service has started, "SHA256:...". */
  ssh_fingerprint: string | null;
  /** What the card did to the stock firmware, as its scripts said last. */
  stock: string | null;
}

export interface Settings {
  settings: {
    hostname: string;
    webNames: string;
    timezone: string;
    ntpServer: string;
    ntp: boolean;
    rtsp: boolean;
    rtmp: boolean;
    record: boolean;
    telnet: boolean;
    ssh: boolean;
    ftp: boolean;
    recordSegmentSeconds: number;
    recordKeepFreeMb: number;
    streamQuality?: 'hd' | 'sd';
    videoResolution?: string;
    videoFps?: number;
    videoBitrateKbps?: number;
    videoTimestamp?: boolean;
    videoFlip?: boolean;
    videoMirror?: boolean;
    videoIr?: 'auto' | 'day' | 'night';
  };
  stream: { server: string; set: boolean };
  features: string;
  tz: string;
  zones: string[];
}

export interface Addresses {
  address: string;
  netmask: string;
  gateway: string;
  dns: string;
}

export interface NetworkState {
  /** card: camfw's own Wi-Fi; cloud: the Xiaofang's cloud app holds it; kept: KEEP-CLOUD on the card; "": not started */
  mode: '' | 'card' | 'cloud' | 'kept';
  /** client: on a Wi-Fi network; ap: the camera's own network (its access point) */
  wifi: 'client' | 'ap';
  /** whether the camera can make its own network (its stock hostapd) */
  access_point: boolean;
  /** the camera's own network as saved (ssid "" and channel 0 when none is) */
  ap: { ssid: string; channel: number };
  iface: string;
  ssid: string;
  now: Addresses & { link: boolean };
  saved: Addresses & { addressing: 'dhcp' | 'static' };
  try: { state: '' | 'trying' | 'saved' | 'failed' | 'restarting'; reason: string; seconds: number };
}

export interface WifiNetwork {
  ssid: string;
  security: 'open' | 'wep' | 'wpa' | 'wpa2' | '802.1x';
  quality: number;
  signal: number;
  channel: number;
}

/** GET /api/storage (the Xiaofang): sizes in bytes; a grow asked for waits for the next boot (pending) or failed there. */
export interface Storage {
  disk_bytes: number;
  partition_bytes: number;
  filesystem_bytes: number;
  growable_bytes: number;
  state: 'none' | 'pending' | 'failed';
  error: string | null;
}

export interface Applied {
  ok: boolean;
  /** What each restarted service's init script said. */
  applied: string[];
  restarted: boolean;
}

/**
 * Saves settings (POST /api/settings, or the stream target with `call` "stream"); the
 * camera restarts what they feed. Saved but not restarted is an error that says why.
 */
export async function saveSettings(body: Record<string, unknown>, call = 'settings'): Promise<Applied> {
  const r = await post<Applied>(call, body);
  if (!r.restarted) throw new ApiError(`Saved, but a service did not restart: ${r.applied.join(' ').trim()}`);
  return r;
}
