import { get, post, setCsrf, type Status } from '../api.ts';
import { act, h, labelled, note } from '../dom.ts';
import type { Page } from '../page.ts';

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
  main.append(
    h('p', {}, logout, ' ', reboot),
    h('h3', {}, 'Password'),
    form,
    message,
    h('h3', {}, 'The stock firmware'),
    h('p', { id: 'stock-state' }, stock ? `${stock[0].toUpperCase()}${stock.slice(1)}.` : 'The card has not said yet.'),
  );
};
