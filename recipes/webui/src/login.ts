// The login page: asks camfw-api whether the camera has its password yet, then logs in or,
// on the first visit, sets it (only possible from the camera's own network).

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function send(call: string, body: Record<string, string>): Promise<{ ok: boolean; error?: string }> {
  const r = await fetch(`/api/${call}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  const answer = (await r.json().catch(() => ({ error: `HTTP ${r.status}` }))) as { error?: string };
  return { ok: r.ok, error: answer.error };
}

(async () => {
  const say = (text: string) => ($('message').textContent = text);
  const state = (await (await fetch('/api/session', { credentials: 'same-origin' })).json()) as { logged_in: boolean; setup_needed: boolean; own_network: boolean };
  if (state.logged_in) {
    location.replace('/');
    return;
  }
  const setup = state.setup_needed;
  if (setup && !state.own_network) {
    $('intro').textContent = "This camera has no password yet. Set it from the camera's own network (the same Wi-Fi), not from outside.";
    return;
  }
  $('title').textContent = setup ? 'camfw: choose the password' : 'camfw: log in';
  $('intro').textContent = setup
    ? 'This camera has no password yet. Choose one (at least 8 bytes, not a common one): it is stored on the card as a salted hash, and every page asks for it.'
    : 'Log in to this camera.';
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
