import { get, type Status } from '../api.ts';
import { clear, duration, facts, h, megabytes } from '../dom.ts';
import { every, type Page } from '../page.ts';

/** Who answers on telnet's port: camfw's service (the owner's password), another program, or nobody. */
function remoteShell(s: Status): { text: string; bad: boolean } {
  const ours = s.services.find((v) => v.name === 'telnet')?.state === 'running';
  if (ours && s.telnet_port_open) return { text: "Telnet on port 23 is camfw's: its login is your user and password. It is not encrypted: use it on your own network only.", bad: false };
  if (s.telnet_port_open)
    return { text: "A telnet server that is not camfw's listens on port 23: the stock firmware's, whose login is the camera's stock root password. Stop it, or turn off the camera's network access from outside.", bad: true };
  return { text: 'No remote shell: nothing listens on telnet\'s port 23. camfw\'s telnet (login: your user and password) can be started under Services.', bad: false };
}

/** The camera's RTSP stream as a player on the owner's network opens it. */
export function rtspUrl(input: string): string {
  return input.replace('//127.0.0.1', `//${location.hostname}`);
}

export const statusPage: Page = async (main) => {
  const rtsp = h('input', { id: 'rtsp-url', readonly: true, size: 40 });
  const copy = h('button', { type: 'button', onclick: () => void navigator.clipboard?.writeText(rtsp.value) }, 'Copy');
  const body = h('div');
  main.append(h('section', { class: 'rtsp' }, h('h3', {}, 'RTSP stream'), h('p', {}, rtsp, ' ', copy), h('p', { class: 'hint' }, 'Open it in VLC or any RTSP player on the same network.')), body);
  return every(5000, async () => {
    const s = await get<Status>('status');
    rtsp.value = rtspUrl(s.rtsp);
    const card = s.card;
    const missing = s.vendor.filter((v) => !v.present);
    const stream = s.stream;
    clear(
      body,
      h('h3', {}, 'Camera'),
      facts([
        ['Camera', card ? `${card.cameraName} (${card.soc})` : '?'],
        ['Name', s.hostname],
        ['Build', card ? `camfw ${card.version} (${card.revision}), ${card.buildDate}` : '?'],
        ['Up', duration(s.uptime)],
        ['Load', s.load ? s.load.join(' ') : '?'],
        ['Memory', `${megabytes(s.memory.available_kb)} free of ${megabytes(s.memory.total_kb)}`],
        ['Card', s.storage ? `${s.storage.free_mb} MB free of ${s.storage.total_mb} MB` : '?'],
        ['Time', s.local_time],
      ]),
      h('h3', {}, 'Services'),
      h('ul', { id: 'status-services' }, ...s.services.map((v) => h('li', { class: v.state === 'running' ? 'ok' : 'off' }, `${v.name}: ${v.state}`))),
      h('h3', {}, 'Stream'),
      stream
        ? facts([
            ['Camera stream', `${stream.input.state}, ${stream.input.kbps} kbit/s`],
            ['Push', stream.rtmp ? `${stream.rtmp.state}${stream.rtmp.error ? `: ${stream.rtmp.error}` : ''}` : 'off'],
            ['Recording', stream.record ? `${stream.record.state}${stream.record.segment ? `: ${stream.record.segment}` : ''}` : 'off'],
          ])
        : h('p', {}, 'The stream worker is not running (turn on the push or the recording).'),
      h('h3', {}, 'Vendor files'),
      missing.length
        ? h(
            'div',
            { id: 'vendor-missing' },
            h('p', {}, "Some of the camera's own programs are not on this card. camfw works without them, but what needs them does not. Copy each to its place on the card, or give it to the build with --vendor-dir:"),
            h('ul', {}, ...missing.map((v) => h('li', {}, h('b', {}, v.path.split('/').pop()), `: ${v.what}. It goes to `, h('code', {}, `${card?.cardDir ?? ''}/${v.path}`)))),
          )
        : h('p', {}, s.vendor.length ? 'All present.' : 'This camera needs none.'),
      h('h3', {}, 'Remote shell'),
      ((shell) => h('p', { id: 'remote-shell', class: shell.bad ? 'bad' : '' }, shell.text))(remoteShell(s)),
      s.ssh_fingerprint
        ? h('p', { id: 'ssh-fingerprint' }, 'SSH host key: ', h('code', {}, s.ssh_fingerprint), '. ssh shows it at your first login: compare it before you type your password.')
        : null,
      h('h3', {}, 'Network'),
      h('p', { id: 'network-note' }, card?.network ?? ''),
    );
  });
};
