// camfw's web UI: one page per part of the camera, chosen by the address's #hash.
// Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
import { session } from './api.ts';
import { clear, h } from './dom.ts';
import type { Page } from './page.ts';
import { logsPage } from './pages/logs.ts';
import { networkPage } from './pages/network.ts';
import { recordingPage } from './pages/recording.ts';
import { servicesPage } from './pages/services.ts';
import { statusPage } from './pages/status.ts';
import { streamingPage } from './pages/streaming.ts';
import { systemPage } from './pages/system.ts';
import { timePage } from './pages/time.ts';
import { videoPage } from './pages/video.ts';

const PAGES: Array<[string, string, Page]> = [
  ['status', 'Status', statusPage],
  ['services', 'Services', servicesPage],
  ['network', 'Network', networkPage],
  ['time', 'Time', timePage],
  ['video', 'Video', videoPage],
  ['streaming', 'Streaming', streamingPage],
  ['recording', 'Recording', recordingPage],
  ['logs', 'Logs', logsPage],
  ['system', 'System', systemPage],
];

const main = h('main', { id: 'page' });
const nav = h('nav', {}, ...PAGES.map(([id, title]) => h('a', { href: `#${id}`, id: `nav-${id}` }, title)));
let leave: (() => void) | undefined;

async function show(): Promise<void> {
  const id = location.hash.slice(1) || 'status';
  const entry = PAGES.find(([p]) => p === id) ?? PAGES[0];
  leave?.();
  leave = undefined;
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('here', a.id === `nav-${entry[0]}`);
  document.title = `camfw: ${entry[1]}`;
  clear(main, h('h2', {}, entry[1]));
  try {
    leave = (await entry[2](main)) ?? undefined;
  } catch (e) {
    main.appendChild(h('p', { class: 'note bad' }, e instanceof Error ? e.message : String(e)));
  }
  main.dataset.ready = entry[0];
}

(async () => {
  await session();
  document.body.append(h('header', {}, h('h1', {}, 'camfw'), nav), main);
  window.addEventListener('hashchange', () => void show());
  await show();
})();
