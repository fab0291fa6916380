// The real undici transport against real loopback servers: each failure gets the seed's errorClass.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTimeStampTransport } from '../../../core/tsp/index.js';

let server: Server;
let base: string;
let seenContentType = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    seenContentType = req.headers['content-type'] ?? '';
    req.resume();
    req.on('end', () => {
      if (req.url === '/ok') res.end(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]));
      else if (req.url === '/big') res.end(Buffer.alloc(2 * 1024 * 1024));
      else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
      else if (req.url === '/403') res.writeHead(403).end('forbidden by policy');
      // '/hang': never answers
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const t = new HttpTimeStampTransport();
const opts = { timeoutMs: 800, maxResponseBytes: 1024 * 1024 };

describe('HttpTimeStampTransport', () => {
  it('POSTs application/timestamp-query and returns the body bytes', async () => {
    expect(Array.from(await t.post(`${base}/ok`, new Uint8Array([1, 2, 3]), opts))).toEqual([
      0x30, 0x03, 0x02, 0x01, 0x00,
    ]);
    expect(seenContentType).toBe('application/timestamp-query');
  });

  it('classifies: non-2xx → http_status, redirect is not followed', async () => {
    await expect(t.post(`${base}/403`, new Uint8Array(1), opts)).rejects.toMatchObject({
      errorClass: 'http_status',
      statusCode: 403,
      message: 'HTTP 403: forbidden by policy',
    });
    await expect(t.post(`${base}/redirect`, new Uint8Array(1), opts)).rejects.toMatchObject({
      errorClass: 'http_status',
      statusCode: 302,
    });
  });

  it('classifies: no answer in time → timeout', async () => {
    await expect(t.post(`${base}/hang`, new Uint8Array(1), opts)).rejects.toMatchObject({
      errorClass: 'timeout',
      message: 'Request timed out after 0.8s',
    });
  });

  it('classifies: connection refused → network', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    await expect(t.post(`http://127.0.0.1:${port}/`, new Uint8Array(1), opts)).rejects.toMatchObject({
      errorClass: 'network',
      message: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it('caps the response size: a huge body is a parse failure, not a memory problem', async () => {
    await expect(t.post(`${base}/big`, new Uint8Array(1), opts)).rejects.toMatchObject({
      errorClass: 'parse',
      message: expect.stringMatching(/larger than 1048576 bytes/),
    });
  });
});
