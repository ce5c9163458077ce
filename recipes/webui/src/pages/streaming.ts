import { get, saveSettings, type Settings, type Status } from '../api.ts';
import { chart } from '../chart.ts';
import { act, clear, facts, h, labelled, note } from '../dom.ts';
import { every, type Page } from '../page.ts';

export const streamingPage: Page = async (main) => {
  let s = await get<Settings>('settings');
  const target = h('p', { id: 'stream-target' });
  const state = h('div', { id: 'stream-state' });
  const message = note();
  const url = h('input', { id: 'stream-url', placeholder: 'rtmp://a.rtmp.youtube.com/live2', maxlength: 900, autocomplete: 'off' });
  const key = h('input', { id: 'stream-key', type: 'password', maxlength: 256, autocomplete: 'off' });
  const save = h('button', { type: 'submit' }, 'Save the target');
  const start = h('button', { type: 'button', id: 'stream-start' }, 'Start');
  const stop = h('button', { type: 'button', id: 'stream-stop' }, 'Stop');
  const rates = chart('stream-chart', ['camera', 'push']);
  const form = h(
    'form',
    {},
    labelled('RTMP server', url, 'rtmp://host[:port]/app: plain RTMP, the camera has no TLS'),
    labelled('Stream key', key, 'Kept on the card, never shown again. Enter it again to change the server.'),
    save,
  );
  const showTarget = () => {
    clear(target, s.stream.set ? `Pushing to ${s.stream.server} with a key that is set (hidden). ` : 'No target yet. ', s.settings.rtmp ? 'The push is on.' : 'The push is off.');
    start.disabled = s.settings.rtmp || !s.stream.set;
    stop.disabled = !s.settings.rtmp;
  };
  const toggle = (on: boolean) => (e: Event) =>
    void act(e.target as HTMLButtonElement, message, async () => {
      await saveSettings({ rtmp: on });
      s = await get<Settings>('settings');
      showTarget();
      return on ? 'The push starts.' : 'The push stopped.';
    });
  start.addEventListener('click', toggle(true));
  stop.addEventListener('click', toggle(false));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(save, message, async () => {
      await saveSettings({ url: url.value.trim(), key: key.value.trim() }, 'stream');
      key.value = '';
      s = await get<Settings>('settings');
      showTarget();
      return 'Target saved.';
    });
  });
  main.append(target, h('p', {}, start, ' ', stop), state, h('h3', {}, 'Bitrate, kbit/s'), rates.element, h('h3', {}, 'Target'), form, message);
  showTarget();
  return every(2000, async () => {
    const st = (await get<Status>('status')).stream;
    const push = st?.rtmp;
    rates.add([st?.input.kbps ?? 0, push?.kbps ?? 0]);
    clear(
      state,
      facts([
        ['State', push ? push.state : st ? 'off' : 'the stream worker is not running'],
        ['Target', push?.target ?? ''],
        ['Reconnects', String(push ? Math.max(0, push.starts - 1) : 0)],
        ['Last error', push?.error ? `${push.error} (${new Date(push.error_time * 1000).toLocaleString()})` : 'none'],
      ]),
    );
  });
};
