// Clients that attack the card's web server from loopback addresses of their own (each
// client address has its own connection limit): one request on a connection of its own,
// a raw exchange, and slow clients that hold a connection a byte at a time, coming back
// when closed. The web login tests and the login bench use them.
import http from 'node:http';
import net from 'node:net';
import { waitFor } from './wait.ts';

/** One HTTP/1.1 request from the local address `from` (another loopback address than the slow clients'), on a connection of its own. */
export function request(from: string, port: number, method: string, pathname: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, localAddress: from, agent: false, headers, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${pathname} from ${from}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `text` on a connection of its own and gives what comes back until the server closes it (at most 10 s). */
export function exchange(from: string, port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
    let got = '';
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
    socket.write(text, 'latin1');
  });
}

export interface SlowOptions {
  /** Milliseconds between two bytes (a header line, for the default kind). */
  every: number;
  /**
   * What it is slow in: the first request's header one line at a time (default), the
   * first request's header a byte at a time, the next request's header on a kept-alive
   * connection, or a POST's body.
   */
  kind?: 'header lines' | 'first header' | 'next header' | 'body';
  cookie?: string;
}

/** A client that never finishes a request: when its slow part began and whether (and when) the server closed it. */
export async function slowClient(port: number, from: string, o: SlowOptions): Promise<{ closed: () => boolean; closedAfter: () => number | undefined; stop: () => void }> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let closedAt: number | undefined;
  let began = Date.now();
  socket.on('close', () => (closedAt = Date.now()));
  socket.on('error', () => undefined);
  const kind = o.kind ?? 'header lines';
  let pending = '';
  if (kind === 'header lines') socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  else if (kind === 'first header') pending = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n\r\n';
  else if (kind === 'body') {
    socket.write(`POST /api/settings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nCookie: ${o.cookie}\r\nContent-Length: 200\r\n\r\n`);
    pending = '{'.padEnd(200, ' ');
  } else {
    // a whole first request, answered; then the next one, slowly
    socket.write('GET /public/build.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    began = Date.now();
    pending = 'GET /public/build.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n\r\n';
  }
  const send = () => {
    if (closedAt !== undefined) return;
    if (kind === 'header lines') socket.write('X-Slow: 1\r\n');
    else if (pending) {
      socket.write(pending[0]);
      pending = pending.slice(1);
    }
  };
  if (kind !== 'header lines') send();
  const timer = setInterval(send, o.every);
  return {
    closed: () => closedAt !== undefined,
    closedAfter: () => (closedAt === undefined ? undefined : closedAt - began),
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

/** A slow client that comes back each time the server closes it, until stopped. */
export function persistentSlowClient(port: number, from: string, o: SlowOptions): { open: () => boolean; reopened: () => number; stop: () => void } {
  let current: Awaited<ReturnType<typeof slowClient>> | undefined;
  let stopped = false;
  let reopened = -1;
  const loop = async () => {
    while (!stopped) {
      try {
        current = await slowClient(port, from, o);
        reopened++;
        await waitFor('the server to close a slow client', () => stopped || current!.closed() || undefined, 600_000);
        current.stop();
      } catch {
        // refused or reset at accept (16 per address): try again
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  void loop();
  return {
    open: () => current !== undefined && !current.closed(),
    reopened: () => Math.max(reopened, 0),
    stop: () => {
      stopped = true;
      current?.stop();
    },
  };
}
