// The cut proxy of the sync fault tests (test/helpers/cut-proxy.ts) held to its word against raw TCP on both sides:
// it frames and measures requests and chunked responses on a kept-alive connection, and a cut after k bytes of a
// request or of a response delivers exactly those k bytes, for every k.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCutProxy, type CutProxy } from '../helpers/cut-proxy.js';

/** Raw TCP: what a server on the other side of the proxy received per connection, answering each request. */
type Received = { bytes: Buffer; closed: boolean };
async function rawServer(response: Buffer): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((s: Socket) => {
    const r: Received = { bytes: Buffer.alloc(0), closed: false };
    received.push(r);
    s.on('data', (d: Buffer) => {
      r.bytes = Buffer.concat([r.bytes, d]);
      for (const c of d) if (c === 0x7d) s.write(response); // one answer per request body's closing brace
    });
    s.on('error', () => undefined);
    s.on('close', () => (r.closed = true));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, received, server };
}

/** Sends `bytes` over a fresh connection to the proxy; resolves with everything received until the close. */
function exchange(url: string, bytes: Buffer, answers = 1): Promise<Buffer> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    const s = connect(Number(new URL(url).port), '127.0.0.1', () => s.write(bytes));
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      if (Buffer.concat(chunks).toString('latin1').split('X-T: 1\r\n\r\n').length > answers) s.end();
    });
    s.on('error', () => undefined);
    s.on('close', () => done(Buffer.concat(chunks)));
  });
}

describe('the cut proxy', () => {
  const body = '{"hello":"world"}';
  const request = Buffer.from(`POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  const response = Buffer.from(
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n3\r\n!!!\r\n0\r\nX-T: 1\r\n\r\n',
  );
  let raw: Awaited<ReturnType<typeof rawServer>>;
  let proxy: CutProxy;
  beforeAll(async () => {
    raw = await rawServer(response);
    proxy = await startCutProxy(raw.url);
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise<void>((r) => raw.server.close(() => r()));
  });

  it('frames and measures requests and chunked responses (with trailers) on one kept-alive connection', async () => {
    proxy.reset();
    const two = Buffer.concat([request, request]);
    expect(await exchange(proxy.url, two, 2)).toEqual(Buffer.concat([response, response]));
    const one = {
      line: 'POST /x HTTP/1.1',
      requestBytes: request.length,
      requestHeadBytes: request.length - body.length,
      responseBytes: response.length,
      responseHeadBytes: response.indexOf('\r\n\r\n') + 4,
      status: 200,
    };
    expect(proxy.log).toEqual([
      { index: 1, ...one },
      { index: 2, ...one },
    ]);
  });

  it('delivers exactly k bytes of the request to the server, for every k', async () => {
    for (let k = 0; k < request.length; k++) {
      proxy.reset({ nth: 1, side: 'request', at: k });
      const before = raw.received.length;
      const got = await exchange(proxy.url, request);
      expect(proxy.fired()).toBe(true);
      expect(got.length).toBe(0);
      await until(() => raw.received[before]?.closed === true);
      expect(raw.received.length).toBe(before + 1);
      expect(raw.received[before]!.bytes).toEqual(request.subarray(0, k));
    }
  });

  it('delivers exactly k bytes of the response to the client, for every k', async () => {
    for (let k = 0; k < response.length; k++) {
      proxy.reset({ nth: 1, side: 'response', at: k });
      expect(await exchange(proxy.url, request)).toEqual(response.subarray(0, k));
      expect(proxy.fired()).toBe(true);
    }
  });
});

/** Waits for the event loop to deliver what `ready` waits for (the server's side of a connection closing). */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 1));
}
