// A loopback TCP proxy for the sync fault tests: it frames the HTTP/1.1 messages it carries (Content-Length and
// chunked bodies, keep-alive connections), counts the requests, logs each request's and response's byte length, and
// for one chosen request cuts the connection after exactly k bytes of its request (client → server) or of its
// response (server → client). The k bytes reach the other side, then both connections close; all else passes as is.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Framer } from './http-framer.js';

export type Side = 'request' | 'response';

/** The request to cut: the `nth` (1-based) of those whose request line matches `match` (all requests if absent). */
export type CutRule = { readonly nth: number; readonly match?: RegExp; readonly side: Side; readonly at: number };

export type Exchange = {
  readonly index: number;
  /** The request line, e.g. `POST /api/transactions/import HTTP/1.1`. */
  readonly line: string;
  requestBytes: number;
  /** Of which the head (request line and headers with the blank line); the body follows. */
  requestHeadBytes: number;
  responseBytes: number | null;
  responseHeadBytes: number | null;
  status: number | null;
};

export type CutProxy = {
  readonly url: string;
  /** Every request seen so far (since the last `reset`), in arrival order. */
  readonly log: readonly Exchange[];
  /** Arms a cut (replacing any armed one) and clears the log and the counters. */
  reset(rule?: CutRule | null): void;
  /** True once the armed cut has happened. */
  fired(): boolean;
  /** Called as each request starts arriving (before any of it is forwarded), with its place in the log. */
  onRequest: ((ex: Exchange) => void) | null;
  close(): Promise<void>;
};

/** A proxy on 127.0.0.1 in front of `target` (http://host:port). */
export async function startCutProxy(target: string): Promise<CutProxy> {
  const { hostname, port } = new URL(target);
  let log: Exchange[] = [];
  let rule: CutRule | null = null;
  let matched = 0;
  let fired = false;
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    // No Nagle: a request's head and body written apart must not wait for the peer's delayed ACK (40 ms a write).
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const open: Exchange[] = []; // requests on this connection awaiting their response, in order
    let dead = false;
    let reqEx: Exchange | null = null;
    let reqCut = false;
    let cutResponseOf: Exchange | null = null;
    let resEx: Exchange | null = null;
    const kill = () => {
      dead = true;
      client.destroy();
      upstream.destroy();
    };
    const cutAfter = (to: Socket, from: Socket, bytes: Buffer) => {
      dead = true;
      fired = true;
      from.pause();
      to.end(bytes, () => setImmediate(kill));
    };
    const reqFramer = new Framer(false, (head) => (reqEx!.requestHeadBytes = head.length));
    const resFramer = new Framer(true, (head) => {
      resEx!.status = Number(head.slice(9, 12));
      resEx!.responseHeadBytes = head.length;
    });
    client.on('data', (buf: Buffer) => {
      let pos = 0;
      while (!dead && pos < buf.length) {
        if (reqEx === null) {
          const line = buf.subarray(pos, buf.indexOf(0x0d, pos) < 0 ? undefined : buf.indexOf(0x0d, pos));
          const text = line.toString('latin1');
          reqEx = {
            index: log.length + 1,
            line: text,
            requestBytes: 0,
            requestHeadBytes: 0,
            responseBytes: null,
            responseHeadBytes: null,
            status: null,
          };
          log.push(reqEx);
          open.push(reqEx);
          proxy.onRequest?.(reqEx);
          const counts = rule && !fired && (!rule.match || rule.match.test(reqEx.line));
          if (counts) matched++;
          reqCut = Boolean(counts && rule!.nth === matched && rule!.side === 'request');
          if (counts && rule!.nth === matched && rule!.side === 'response') cutResponseOf = reqEx;
        }
        const start = reqFramer.offset;
        const { n, done } = reqFramer.take(buf, pos);
        if (reqCut && rule!.at < start + n)
          return cutAfter(upstream, client, buf.subarray(pos, pos + rule!.at - start));
        upstream.write(buf.subarray(pos, pos + n));
        reqEx!.requestBytes += n;
        pos += n;
        if (done) reqEx = null;
      }
    });
    upstream.on('data', (buf: Buffer) => {
      let pos = 0;
      while (!dead && pos < buf.length) {
        if (resEx === null) resEx = open.shift() ?? null;
        if (resEx === null) return kill(); // a response to nothing: not HTTP as we know it
        const start = resFramer.offset;
        const { n, done } = resFramer.take(buf, pos);
        const cut = cutResponseOf === resEx && rule!.at < start + n;
        if (cut) return cutAfter(client, upstream, buf.subarray(pos, pos + rule!.at - start));
        client.write(buf.subarray(pos, pos + n));
        resEx.responseBytes = (resEx.responseBytes ?? 0) + n;
        pos += n;
        if (done) resEx = null;
      }
    });
    for (const s of [client, upstream]) {
      s.on('error', () => kill());
      s.on('close', () => {
        sockets.delete(s);
        if (!dead) kill();
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const proxy: CutProxy = {
    url,
    onRequest: null,
    get log() {
      return log;
    },
    reset(r = null) {
      rule = r;
      log = [];
      matched = 0;
      fired = false;
    },
    fired: () => fired,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  return proxy;
}
