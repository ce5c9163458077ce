import { get, type Service } from '../api.ts';
import { h } from '../dom.ts';
import type { Page } from '../page.ts';

export const logsPage: Page = async (main) => {
  const { services } = await get<{ services: Service[] }>('services');
  const which = h('select', { id: 'log-name' }, h('option', { value: 'camfw' }, 'boot and restarts'), ...services.map((s) => h('option', { value: s.name }, s.name)), h('option', { value: 'web-access' }, 'web requests'));
  const text = h('pre', { id: 'log-text', class: 'log' });
  const show = async () => {
    text.textContent = (await get<{ text: string }>(`log?name=${encodeURIComponent(which.value)}`)).text || '(empty)';
    text.scrollTop = text.scrollHeight;
  };
  which.addEventListener('change', () => void show());
  main.append(h('p', {}, which, ' ', h('button', { type: 'button', onclick: () => void show() }, 'Refresh')), h('p', { class: 'hint' }, 'Logs are kept in RAM: two old files and the current one per service, 64 KB each; gone after a reboot.'), text);
  await show();
};
