import { get, post, setCsrf, type Settings, type Status, type Storage } from '../api.ts';
import { act, h, labelled, note } from '../dom.ts';
import type { Page } from '../page.ts';

const size = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.round(bytes / 2 ** 20)} MB`);

/** The Xiaofang's card: its size, the data partition's, and the grow to the card when there is room. */
async function cardPart(): Promise<Node[]> {
  const s = await get<Storage>('storage');
  const said = note();
  const parts: Node[] = [h('h3', {}, 'Card'), h('p', { id: 'card-size' }, `Card ${size(s.disk_bytes)}, data partition ${size(s.filesystem_bytes)}.`)];
  if (s.state === 'pending') parts.push(h('p', {}, 'The data partition grows at the next boot: reboot the camera.'));
  if (s.state === 'failed') parts.push(h('p', { class: 'note bad', id: 'grow-error' }, s.error ?? ''));
  if (s.growable_bytes > 0 && s.state !== 'pending') {
    const label = `Grow the data partition to fill the card (${size(s.filesystem_bytes + s.growable_bytes)})`;
    const grow = h('button', { type: 'button', id: 'grow', onclick: () => {
      if (!confirm(`${label}? The camera reboots and grows it before camfw starts, a few minutes on a large card: keep it powered until its page is back.`)) return;
      void act(grow, said, async () => {
        await post('storage/grow');
        return 'Rebooting to grow the data partition...';
      });
    } }, label);
    parts.push(h('p', {}, grow), said);
  }
  return parts;
}

export const systemPage: Page = async (main) => {
  const message = note();
  const old = h('input', { id: 'old-password', type: 'password', autocomplete: 'current-password', maxlength: 128 });
  const fresh = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', minlength: 8, maxlength: 128 });
  const change = h('button', { type: 'submit' }, 'Change the password');
  const form = h('form', {}, labelled('Current password', old), labelled('New password', fresh, 'At least 8 bytes, not a common one. Other sessions end.'), change);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(change, message, async () => {
      const r = await post<{ csrf: string }>('password', { old: old.value, new: fresh.value });
      setCsrf(r.csrf);
      old.value = fresh.value = '';
      return 'Password changed.';
    });
  });
  const reboot = h('button', { type: 'button', id: 'reboot', onclick: () => {
    if (!confirm('Reboot the camera? It is back in about a minute.')) return;
    void act(reboot, message, async () => {
      await post('reboot');
      return 'Rebooting...';
    });
  } }, 'Reboot');
  const logout = h('button', { type: 'button', id: 'logout', onclick: async () => {
    await post('logout').catch(() => undefined);
    location.replace('/public/login.html');
  } }, 'Log out');
  const stock = (await get<Status>('status')).stock;
  // a card the camera cannot read says why, and the rest of the page stays
  const card = (await get<Settings>('settings')).features.split(' ').includes('storage')
    ? await cardPart().catch((e: Error) => [h('h3', {}, 'Card'), h('p', { class: 'note bad' }, e.message)])
    : [];
  main.append(
    h('p', {}, logout, ' ', reboot),
    h('h3', {}, 'Password'),
    form,
    message,
    h('h3', {}, 'The stock firmware'),
    h('p', { id: 'stock-state' }, stock ? `${stock[0].toUpperCase()}${stock.slice(1)}.` : 'The card has not said yet.'),
    ...card,
  );
};
