// A network namespace of the test's own, whose routing table plays the camera's: one
// interface (a veth pair, both ends inside) on a network of its own and a default route
// through that network's gateway. camfw-api, run inside it under qemu-arm, reads that
// table from /proc/net/route to tell the camera's own network from the rest.
//
// A process holds the namespace and nsenter enters it: nothing is mounted (`ip netns` mounts
// /run/netns, and its `exec` needs / to be a mount point, which a chroot's root is not).
import fs from 'node:fs';
import { run, startBackground } from '../scripts/lib/run.ts';
import { waitFor } from './wait.ts';

export interface CameraNetwork {
  /** The words that run a command inside the namespace: `[...enter, program, ...args]`. */
  enter: string[];
  stop(): Promise<void>;
}

/** The camera at `address` (CIDR, e.g. 192.0.2.10/24) with its default route through `gateway`. Needs root. */
export async function cameraNetwork(address: string, gateway: string): Promise<CameraNetwork> {
  const holder = startBackground(['unshare', '--net', 'sleep', 'infinity']);
  try {
    const ownNamespace = fs.readlinkSync('/proc/self/ns/net');
    const netns = `/proc/${holder.pid}/ns/net`;
    // unshare execs sleep once the namespace is its own
    await waitFor('the network namespace', async () => {
      if (holder.exited()) throw new Error(`unshare --net failed: ${holder.stderr().trim()}`);
      return (fs.existsSync(netns) && fs.readlinkSync(netns) !== ownNamespace) || undefined;
    }, 10_000);
    const enter = ['nsenter', `--net=${netns}`];
    const ip = (...args: string[]) => run([...enter, 'ip', ...args]);
    await ip('link', 'set', 'lo', 'up');
    await ip('link', 'add', 'wlan0', 'type', 'veth', 'peer', 'name', 'air');
    await ip('addr', 'add', address, 'dev', 'wlan0');
    await ip('link', 'set', 'wlan0', 'up');
    await ip('link', 'set', 'air', 'up');
    await ip('route', 'add', 'default', 'via', gateway);
    return { enter, stop: () => holder.stop() };
  } catch (e) {
    await holder.stop();
    throw e;
  }
}
