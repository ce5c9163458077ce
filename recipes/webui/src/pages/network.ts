import { get, saveSettings, type Settings, type Status } from '../api.ts';
import { act, h, labelled, note } from '../dom.ts';
import type { Page } from '../page.ts';

export const networkPage: Page = async (main) => {
  const [s, st] = await Promise.all([get<Settings>('settings'), get<Status>('status')]);
  const name = h('input', { id: 'hostname', value: s.settings.hostname, maxlength: 63, pattern: '[a-z0-9]([a-z0-9-]*[a-z0-9])?' });
  const message = note();
  const save = h('button', { type: 'submit' }, 'Save');
  const form = h('form', {}, labelled('Camera name on the network', name, 'lower-case letters, digits and inner hyphens'), save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(save, message, async () => {
      await saveSettings({ hostname: name.value });
      return 'Saved.';
    });
  });
  main.append(h('p', { id: 'network-mode' }, st.card?.network ?? ''), form, message);
};
