import { ApiError, get, post, saveSettings, type NetworkState, type Settings, type Status, type WifiNetwork } from '../api.ts';
import { act, clear, facts, h, labelled, note, say } from '../dom.ts';
import { every, type Page } from '../page.ts';

const MODES: Record<NetworkState['mode'], string> = {
  card: "camfw's own Wi-Fi",
  cloud: 'the cloud app holds Wi-Fi (camfw takes over once a network you give here works)',
  kept: 'the cloud app keeps Wi-Fi (KEEP-CLOUD is on the card)',
  '': 'not started yet',
};

/** The camera's address on its own network (access point): fang-hacks' default, network.sh's NET_AP_ADDRESS. */
const AP_ADDRESS = '192.168.0.1';

/**
 * The camera's name, its Wi-Fi network and its addresses, or its own network where it can
 * make one. A new network or new addresses are tried before they are saved: the camera
 * goes back to the saved ones when the gateway does not answer (its own network: when no
 * device joins it), so a typo cannot lock the owner out.
 */
export const networkPage: Page = async (main) => {
  const [s, st, net] = await Promise.all([get<Settings>('settings'), get<Status>('status'), get<NetworkState>('network')]);

  const name = h('input', { id: 'hostname', value: s.settings.hostname, maxlength: 63, pattern: '[a-z0-9]([a-z0-9-]*[a-z0-9])?' });
  const nameNote = note();
  const nameSave = h('button', { type: 'submit' }, 'Save');
  // the page answers only its address and its names (DNS rebinding): a reverse proxy's or
  // the owner's own DNS name must be one of these
  const names = h('input', { id: 'web-names', value: s.settings.webNames, maxlength: 1000, autocomplete: 'off' });
  const nameForm = h(
    'form',
    {},
    labelled('Camera name on the network', name, 'lower-case letters, digits and inner hyphens'),
    labelled('Other names it is opened by', names, `a reverse proxy's or your own DNS name, up to 8, separated by spaces; its address, ${s.settings.hostname}, ${s.settings.hostname}.local and the name your router gives it need none`),
    nameSave,
  );
  nameForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(nameSave, nameNote, async () => {
      await saveSettings({ hostname: name.value, webNames: names.value.trim().split(/\s+/).filter(Boolean).join(' ') });
      return 'Saved.';
    });
  });

  const now = h('div', { id: 'network-now' });
  const show = (n: NetworkState) =>
    clear(
      now,
      facts([
        ['Wi-Fi', n.wifi === 'ap' ? `the camera's own network, at ${AP_ADDRESS}` : MODES[n.mode]],
        ['Network', (n.wifi === 'ap' ? n.ap.ssid : n.ssid) || '-'],
        ['Link', n.now.link ? 'up' : 'down'],
        ['Address', n.now.address ? `${n.now.address} / ${n.now.netmask}` : '-'],
        ['Gateway', n.now.gateway || '-'],
        ['DNS', n.now.dns || '-'],
        ['Addresses from', n.saved.addressing === 'static' ? 'static settings' : 'DHCP'],
      ]),
    );
  show(net);

  // the networks in range
  const ssid = h('input', { id: 'ssid', maxlength: 32, autocomplete: 'off' });
  const psk = h('input', { id: 'psk', type: 'password', minlength: 8, maxlength: 63, autocomplete: 'new-password' });
  const country = h('input', { id: 'country', maxlength: 2, value: 'US', pattern: '[A-Z]{2}', size: 3 });
  const list = h('ul', { id: 'wifi-list' });
  const scanNote = note();
  scanNote.id = 'scan-note';
  const scan = h('button', { type: 'button', id: 'scan' }, 'Scan');
  scan.addEventListener('click', () =>
    act(scan, scanNote, async () => {
      const r = await get<{ networks: WifiNetwork[] }>('network/scan');
      clear(
        list,
        ...r.networks.map((w) => {
          const usable = w.security === 'wpa2' || w.security === 'wpa';
          const pick = h('button', { type: 'button', disabled: !usable }, 'Use');
          pick.addEventListener('click', () => {
            ssid.value = w.ssid;
            psk.focus();
          });
          return h('li', {}, pick, ` ${w.ssid} · ${w.security.toUpperCase()} · ${w.quality}%`, usable ? '' : ' (camfw joins WPA/WPA2 networks only)');
        }),
      );
      return r.networks.length ? `${r.networks.length} networks in range.` : 'No networks in range.';
    }),
  );

  // addresses
  const dhcp = h('select', { id: 'addressing' }, h('option', { value: 'dhcp' }, 'DHCP (from the router)'), h('option', { value: 'static' }, 'Static'));
  dhcp.value = net.saved.addressing;
  const field = (id: string, value: string, hint: string) => h('input', { id, value, maxlength: 47, inputmode: 'decimal', placeholder: hint });
  const address = field('address', net.saved.address || net.now.address, '192.168.1.50');
  const netmask = field('netmask', net.saved.netmask || net.now.netmask || '255.255.255.0', '255.255.255.0');
  const gateway = field('gateway', net.saved.gateway || net.now.gateway, '192.168.1.1');
  const dns = field('dns', net.saved.dns || net.now.dns, '192.168.1.1');
  const staticFields = h('div', {}, labelled('Address', address), labelled('Netmask', netmask), labelled('Gateway', gateway), labelled('DNS servers', dns, 'one to three, separated by spaces'));
  const showStatic = () => (staticFields.hidden = dhcp.value !== 'static');
  dhcp.addEventListener('change', showStatic);
  showStatic();

  // client: join a network; ap: the camera's own (where its stock hostapd can make one)
  const wifi = h('select', { id: 'wifi' }, h('option', { value: 'client' }, 'Join a Wi-Fi network'), h('option', { value: 'ap' }, "The camera's own network"));
  wifi.value = net.wifi;
  const channel = h('select', { id: 'channel' }, ...Array.from({ length: 13 }, (_, i) => h('option', { value: String(i + 1) }, String(i + 1))));
  channel.value = String(net.ap.channel || 6);
  const clientOnly = h('div', {}, labelled('Addresses', dhcp), staticFields);
  const apOnly = h('div', {}, labelled('Channel', channel, '1, 6 or 11 do not overlap'), h('p', { class: 'hint' }, `The camera is ${AP_ADDRESS} on its own network and gives out addresses. Join it from a phone within 2 minutes of "Try and save": it is saved once a device joins, otherwise the camera comes back here.`));
  const ssidHint = h('small', {});
  const showWifi = () => {
    const ap = wifi.value === 'ap';
    clientOnly.hidden = ap;
    apOnly.hidden = !ap;
    scan.hidden = ap;
    ssidHint.textContent = ap ? "the name of the camera's own network" : net.mode === 'cloud' || net.wifi === 'ap' ? 'the network camfw joins' : 'leave empty to keep the current one';
  };
  wifi.addEventListener('change', showWifi);

  const tryNote = note();
  tryNote.id = 'network-try';
  const apply = h('button', { type: 'submit' }, 'Try and save');
  const form = h(
    'form',
    { id: 'network-form' },
    net.access_point ? labelled('Wi-Fi', wifi) : null,
    labelled('Wi-Fi network', ssid, ssidHint),
    labelled('Passphrase', psk, 'WPA2, 8 to 63 characters'),
    labelled('Country', country, 'two letters (ISO 3166): the channels the radio may use'),
    clientOnly,
    apOnly,
    apply,
  );
  showWifi();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const ap = wifi.value === 'ap';
    const isStatic = !ap && dhcp.value === 'static';
    void act(apply, tryNote, async () => {
      const r = await post<{ seconds: number }>('network', {
        wifi: wifi.value,
        ssid: ssid.value,
        psk: ssid.value ? psk.value : '',
        country: ssid.value ? country.value : '',
        channel: ap ? channel.value : '',
        addressing: ap ? 'dhcp' : dhcp.value,
        address: isStatic ? address.value.trim() : '',
        netmask: isStatic ? netmask.value.trim() : '',
        gateway: isStatic ? gateway.value.trim() : '',
        dns: isStatic ? dns.value.trim() : '',
      });
      psk.value = '';
      return ap
        ? `Trying for up to ${r.seconds} s: join the network "${ssid.value}" now, then open http://${AP_ADDRESS}${location.port ? `:${location.port}` : ''}/. If no device joins, the camera comes back to this network and says why here.`
        : `Trying for up to ${r.seconds} s. If the camera joins another network, find it there at http://${s.settings.hostname}/; if it cannot, it comes back to this network and says why here.`;
    });
  });

  main.append(
    h('p', { id: 'network-mode' }, st.card?.network ?? ''),
    nameForm,
    nameNote,
    h('h3', {}, 'Now'),
    now,
    h('h3', {}, 'Change'),
    h('p', { class: 'hint' }, 'The camera tries new settings before it saves them: when its gateway does not answer within the time shown, it goes back to the saved ones.'),
    scan,
    scanNote,
    list,
    form,
    tryNote,
  );

  let last = '';
  return every(3000, async () => {
    let n: NetworkState;
    try {
      n = await get<NetworkState>('network');
    } catch (e) {
      // while a try runs the camera may be on another network
      if (!(e instanceof ApiError) || e.status !== 401) say(tryNote, 'The camera is not answering: it may be trying the new settings...');
      throw e;
    }
    show(n);
    const said = `${n.try.state}: ${n.try.reason}`;
    if (n.try.state && said !== last && last !== '') say(tryNote, n.try.reason ? `${n.try.state === 'trying' ? 'Trying' : n.try.state === 'failed' ? 'Not saved' : 'Saved'}: ${n.try.reason}` : '', n.try.state === 'failed');
    last = said;
  });
};
