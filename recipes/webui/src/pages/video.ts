import { get, saveSettings, type Settings } from '../api.ts';
import { act, h, labelled, note } from '../dom.ts';
import type { Page } from '../page.ts';

export const videoPage: Page = async (main) => {
  const s = await get<Settings>('settings');
  const message = note();
  const save = h('button', { type: 'submit' }, 'Save');
  const form = h('form', {});
  const fields: Array<() => [string, unknown]> = [];
  const v = s.settings;
  if (v.videoResolution !== undefined) {
    const res = h('select', { id: 'video-resolution' }, ...['1920x1080', '1280x720', '640x360'].map((r) => h('option', { value: r, selected: r === v.videoResolution }, r)));
    const fps = h('input', { id: 'video-fps', type: 'number', min: 1, max: 30, value: v.videoFps ?? 15 });
    const rate = h('input', { id: 'video-bitrate', type: 'number', min: 128, max: 8192, step: 64, value: v.videoBitrateKbps ?? 2048 });
    const check = (id: string, on?: boolean) => h('input', { id, type: 'checkbox', checked: !!on });
    const stamp = check('video-timestamp', v.videoTimestamp);
    const flip = check('video-flip', v.videoFlip);
    const mirror = check('video-mirror', v.videoMirror);
    const ir = h('select', { id: 'video-ir' }, ...[['auto', 'Auto (light sensor)'], ['day', 'Day: colour, IR off'], ['night', 'Night: black and white, IR on']].map(([value, text]) => h('option', { value, selected: value === v.videoIr }, text)));
    form.append(
      labelled('Picture size', res),
      labelled('Frames per second', fps),
      labelled('Bitrate (kbit/s)', rate),
      labelled('Date and time in the picture', stamp),
      labelled('Upside down', flip, 'For a camera on the ceiling.'),
      labelled('Mirrored', mirror),
      labelled('Day and night', ir),
    );
    fields.push(
      () => ['videoResolution', res.value],
      () => ['videoFps', Number(fps.value)],
      () => ['videoBitrateKbps', Number(rate.value)],
      () => ['videoTimestamp', stamp.checked],
      () => ['videoFlip', flip.checked],
      () => ['videoMirror', mirror.checked],
      () => ['videoIr', ir.value],
    );
  }
  if (v.streamQuality !== undefined) {
    const quality = h('select', { id: 'stream-quality' }, h('option', { value: 'hd', selected: v.streamQuality === 'hd' }, 'HD (1280x720)'), h('option', { value: 'sd', selected: v.streamQuality === 'sd' }, 'SD (640x360)'));
    form.append(labelled('Stream to push and record', quality, "The camera's RTSP server serves both; this is the one camfw pushes and records."));
    fields.push(() => ['streamQuality', quality.value]);
  }
  if (!fields.length) {
    main.append(h('p', {}, 'This camera takes no video settings.'));
    return;
  }
  form.append(save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(save, message, async () => {
      const r = await saveSettings(Object.fromEntries(fields.map((f) => f())));
      return r.applied.length ? 'Saved and applied.' : 'Saved.';
    });
  });
  main.append(h('p', { class: 'hint' }, 'A new picture size, rate or bitrate restarts the RTSP stream and what reads it.'), form, message);
};
