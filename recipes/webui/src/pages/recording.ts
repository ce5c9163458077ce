import { get, post, saveSettings, type Settings, type Status } from '../api.ts';
import { act, clear, h, labelled, note } from '../dom.ts';
import { every, type Page } from '../page.ts';

interface Recordings {
  total_mb?: number;
  free_mb?: number;
  segments: Array<{ name: string; size: number; mtime: number }>;
}

export const recordingPage: Page = async (main) => {
  const s = await get<Settings>('settings');
  const message = note();
  const state = h('p', { id: 'record-state' });
  const list = h('table', { id: 'recordings', class: 'rows' });
  const player = h('video', { id: 'player', controls: true, preload: 'metadata', hidden: true });
  const start = h('button', { type: 'button', id: 'record-start' }, 'Start');
  const stop = h('button', { type: 'button', id: 'record-stop' }, 'Stop');
  const seconds = h('input', { id: 'segment-seconds', type: 'number', min: 10, max: 3600, value: s.settings.recordSegmentSeconds });
  const keep = h('input', { id: 'keep-free-mb', type: 'number', min: 1, max: 1000000, value: s.settings.recordKeepFreeMb });
  const save = h('button', { type: 'submit' }, 'Save');
  const form = h('form', {}, labelled('Segment length (s)', seconds), labelled('Keep free on the card (MB)', keep, 'The oldest segments are deleted to keep this much free.'), save);
  let on = s.settings.record;
  const buttons = () => {
    start.disabled = on;
    stop.disabled = !on;
  };
  const toggle = (to: boolean) => (e: Event) =>
    void act(e.target as HTMLButtonElement, message, async () => {
      await saveSettings({ record: to });
      on = to;
      buttons();
      return to ? 'Recording starts.' : 'Recording stopped.';
    });
  start.addEventListener('click', toggle(true));
  stop.addEventListener('click', toggle(false));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(save, message, async () => {
      await saveSettings({ recordSegmentSeconds: Number(seconds.value), recordKeepFreeMb: Number(keep.value) });
      return 'Saved.';
    });
  });
  const refresh = async () => {
    const [r, st] = await Promise.all([get<Recordings>('recordings'), get<Status>('status')]);
    const rec = st.stream?.record;
    const now = rec?.state === 'running' ? `, into ${rec.segment}` : '';
    clear(state, rec ? `Recording: ${rec.state}${now}${rec.error ? ` (${rec.error})` : ''}.` : 'Not recording.', r.free_mb !== undefined ? ` Card: ${r.free_mb} MB free of ${r.total_mb} MB.` : '');
    clear(
      list,
      h('tr', {}, h('th', {}, 'Segment'), h('th', {}, 'Size'), h('th', {}, '')),
      ...r.segments.map((seg) =>
        h(
          'tr',
          { 'data-name': seg.name },
          h('td', {}, seg.name),
          h('td', {}, `${(seg.size / 1048576).toFixed(1)} MB`),
          h(
            'td',
            {},
            h('button', { type: 'button', class: 'play', onclick: () => {
              player.hidden = false;
              player.src = `/api/recording/${seg.name}`;
              void player.play().catch(() => undefined);
            } }, 'play'),
            ' ',
            h('a', { href: `/api/recording/${seg.name}`, download: seg.name }, 'download'),
            ' ',
            h('button', { type: 'button', class: 'delete', onclick: (e: Event) => {
              if (!confirm(`Delete ${seg.name}?`)) return;
              void act(e.target as HTMLButtonElement, message, async () => {
                await post('recording/delete', { name: seg.name });
                await refresh();
                return `${seg.name} deleted.`;
              });
            } }, 'delete'),
          ),
        ),
      ),
    );
  };
  buttons();
  main.append(h('p', {}, start, ' ', stop), state, form, message, player, list);
  return every(5000, refresh);
};
