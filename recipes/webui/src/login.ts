// The login page: asks camfw-api whether the camera has its password yet, then logs in or,
// on the first visit, sets it. Only the camera's own network learns that it has none, and
// only it may set it.

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** How often a login the camera was too busy to check (429, retry in 1 s) is sent again. */
const BUSY_RETRIES = 3;

async function send(call: string, body: Record<string, string>): Promise<{ ok: boolean; error?: string }> {
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(`/api/${call}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    const answer = (await r.json().catch(() => ({ error: `HTTP ${r.status}` }))) as { error?: string; retry_after?: number };
    if (r.status !== 429 || answer.retry_after !== 1 || attempt === BUSY_RETRIES) return { ok: r.ok, error: answer.error };
    await new Promise((res) => setTimeout(res, 1000));
  }
}

(async () => {
  const say = (text: string) => ($('message').textContent = text);
  const state = (await (await fetch('/api/session', { credentials: 'same-origin' })).json()) as { logged_in: boolean; setup_needed?: boolean; own_network: boolean };
  if (state.logged_in) {
    location.replace('/');
    return;
  }
  const setup = state.setup_needed === true;
  $('title').textContent = setup ? 'camfw: choose the password' : 'camfw: log in';
  $('intro').textContent = setup
    ? 'This camera has no password yet. Choose one (at least 8 bytes, not a common one): it is stored on the card as a salted hash, and every page asks for it.'
    : state.own_network
      ? 'Log in to this camera.'
      : "Log in to this camera. (A camera's first password is set from its own network, the same Wi-Fi, not from here.)";
  $('again-row').hidden = !setup;
  $('submit').textContent = setup ? 'Set the password' : 'Log in';
  if (setup) $<HTMLInputElement>('password').autocomplete = 'new-password';
  $('form').hidden = false;
  $('form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { user: $<HTMLInputElement>('user').value, password: $<HTMLInputElement>('password').value };
    if (setup && body.password !== $<HTMLInputElement>('again').value) return void say('The two passwords differ.');
    const r = await send(setup ? 'setup' : 'login', body);
    if (r.ok) location.replace('/');
    else say(r.error ?? 'failed');
  });
})();
