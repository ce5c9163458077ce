import { get, saveSettings, type Settings, type Status } from '../api.ts';
import { act, h, labelled, note } from '../dom.ts';
import { every, type Page } from '../page.ts';

export const timePage: Page = async (main) => {
  const s = await get<Settings>('settings');
  const now = h('output', { id: 'camera-time' });
  const zone = h('select', { id: 'timezone' }, ...s.zones.map((z) => h('option', { value: z, selected: z === s.settings.timezone }, z.replace(/_/g, ' '))));
  if (!s.settings.timezone) zone.prepend(h('option', { value: '', selected: true }, `(${s.tz})`));
  const server = h('input', { id: 'ntp-server', value: s.settings.ntpServer, maxlength: 253 });
  const ntp = h('input', { type: 'checkbox', id: 'ntp', checked: s.settings.ntp });
  const message = note();
  const save = h('button', { type: 'submit' }, 'Save');
  const form = h(
    'form',
    {},
    labelled('Time zone', zone),
    labelled('NTP server', server),
    labelled('Set the clock from the network', ntp),
    save,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(save, message, async () => {
      await saveSettings({ ...(zone.value ? { timezone: zone.value } : {}), ntpServer: server.value, ntp: ntp.checked });
      await tick();
      return 'Saved.';
    });
  });
  main.append(h('p', {}, 'Camera time: ', now), form, message);
  const tick = async () => {
    now.textContent = (await get<Status>('status')).local_time;
  };
  return every(5000, tick);
};
