import { get, post, saveSettings, type Service, type Settings } from '../api.ts';
import { act, clear, duration, h, note } from '../dom.ts';
import { every, type Page } from '../page.ts';

/** The settings that start a service at boot, where the owner switches them here. */
const BOOT_SETTING: Record<string, 'ntp' | 'rtsp' | 'telnet' | 'ssh' | 'ftp'> = { ntp: 'ntp', rtsp: 'rtsp', telnet: 'telnet', ssh: 'ssh', ftp: 'ftp' };

export const servicesPage: Page = async (main) => {
  const table = h('table', { id: 'services', class: 'rows' });
  const message = note();
  const log = h('pre', { id: 'service-log', class: 'log' });
  main.append(
    h('p', { class: 'hint' }, 'Each service runs under a supervisor that restarts it when it exits (after 1, 2, 4... seconds). A stopped service stays stopped until you start it. The stream service pushes and records: switch those on the Streaming and Recording pages.'),
    table,
    message,
    log,
  );
  const row = (s: Service) => {
    const button = (action: string) =>
      h('button', { type: 'button', 'data-action': action, disabled: s.name === 'web', onclick: (e: Event) => void act(e.target as HTMLButtonElement, message, async () => {
        const r = await post<{ output: string }>('service', { name: s.name, action });
        return r.output.trim() || `${s.name}: ${action} done`;
      }) }, action);
    const boot = BOOT_SETTING[s.name];
    const enabled = h('input', { type: 'checkbox', checked: s.enabled, disabled: !boot, 'aria-label': `start ${s.name} at boot` });
    if (boot)
      enabled.addEventListener('change', () => void act(null, message, async () => {
        await saveSettings({ [boot]: enabled.checked });
        return `${s.name}: ${enabled.checked ? 'starts' : 'no longer starts'} at boot`;
      }));
    return h(
      'tr',
      { id: `service-${s.name}` },
      h('td', {}, s.name),
      h('td', { class: s.state === 'running' ? 'ok' : 'off' }, s.state),
      h('td', {}, s.state === 'running' ? `pid ${s.pid}, up ${duration(s.uptime)}` : s.last_exit || ''),
      h('td', {}, `${s.restarts} restart${s.restarts === 1 ? '' : 's'}`),
      h('td', {}, h('label', { class: 'inline' }, enabled, ' at boot')),
      h('td', {}, button('start'), button('stop'), button('restart'), h('button', { type: 'button', onclick: (e: Event) => void act(e.target as HTMLButtonElement, message, async () => {
        const r = await get<{ text: string }>(`log?name=${encodeURIComponent(s.name)}`);
        log.textContent = r.text || '(empty)';
        return `The log of ${s.name}:`;
      }) }, 'log')),
    );
  };
  return every(5000, async () => {
    const [{ services }] = await Promise.all([get<{ services: Service[] }>('services'), get<Settings>('settings')]);
    clear(table, h('tr', {}, ...['Service', 'State', '', 'Restarts', 'Starts', ''].map((t) => h('th', {}, t))), ...services.map(row));
  });
};
