// Idempotency-Key on every POST: a retry of a request returns the first response instead of doing the work twice.
// Scope = the caller (tenant, else user, else IP for public routes). The request's identity is the SHA-256 of its
// method, URL and raw body bytes (a multipart body's boundary, random per client, is left out). The first request
// inserts a `pending` row (INSERT … ON CONFLICT: correct across server nodes); a repeat with the same identity gets
// the stored response (status, content-type, content-disposition and X-Seal-* headers, body bytes, plus
// `Idempotent-Replayed: true`), with another body 422, while the first is still pending 409. The response is stored
// (onSend) before it is sent; a 5xx, a thrown error or a response that never went out deletes the row so the client
// may retry. Rows expire after 24 hours. A row still pending after 10 minutes belongs to a node that died mid-request
// (no request lives that long: TSA calls time out within seconds) and is taken over. JSON and binary alike.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from './context.js';
import { one } from './db/sql.js';
import { HttpError } from './errors.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
export const IDEMPOTENCY_KEY_MAX = 255;
export const PENDING_ABANDONED_MS = 10 * 60 * 1000;
const KEPT_HEADERS = /^(content-type|content-disposition|x-seal-.*)$/i;

type State = { scope: string; key: string; hash: string; owner: boolean; settled: boolean };
type Row = {
  request_sha256: string;
  state: 'pending' | 'done';
  status_code: number | null;
  headers: Record<string, string> | null;
  body: Uint8Array | null;
};
const states = new WeakMap<FastifyRequest, State>();

const boundaryOf = (contentType: string | undefined): string | null =>
  /^multipart\//i.test(contentType ?? '') ? (/boundary="?([^";]+)"?/i.exec(contentType!)?.[1] ?? null) : null;

/** SHA-256 (hex) of method, URL and body; a multipart boundary counts as one fixed marker. */
export function requestHash(method: string, url: string, body: Buffer, contentType?: string): string {
  const h = createHash('sha256').update(`${method}\n${url}\n`);
  const boundary = boundaryOf(contentType);
  if (!boundary) return h.update(body).digest('hex');
  const b = Buffer.from(boundary, 'latin1');
  let i = 0;
  for (let j = body.indexOf(b); j !== -1; j = body.indexOf(b, i)) {
    h.update(body.subarray(i, j)).update('\0boundary\0');
    i = j + b.length;
  }
  return h.update(body.subarray(i)).digest('hex');
}

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    const chunk = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const bytes = (body: Buffer): PassThrough => new PassThrough().end(body);

/** The request's raw stream again (for plugins that read `request.raw` themselves, as @fastify/multipart does). */
function replayRaw(raw: IncomingMessage, body: Buffer): IncomingMessage {
  const replay = bytes(body) as unknown as Record<string, unknown>;
  for (const k of ['headers', 'rawHeaders', 'method', 'url', 'httpVersion', 'socket', 'trailers'] as const)
    replay[k] = raw[k];
  return replay as unknown as IncomingMessage;
}

const scopeOf = (request: FastifyRequest): string =>
  request.auth?.tenantId
    ? `tenant:${request.auth.tenantId}`
    : request.auth
      ? `user:${request.auth.userId}`
      : `ip:${request.ip}`;

/** Inserts the pending row (null: this request owns the key) or returns the row already there. */
async function claim(ctx: ServerContext, s: State): Promise<Row | null> {
  const now = ctx.now();
  for (let attempt = 0; attempt < 3; attempt++) {
    await ctx.db.query(
      `DELETE FROM idempotency WHERE scope = $1
       AND (created_at < $2 OR (key = $3 AND state = 'pending' AND created_at < $4))`,
      [s.scope, new Date(now.getTime() - IDEMPOTENCY_TTL_MS), s.key, new Date(now.getTime() - PENDING_ABANDONED_MS)],
    );
    const mine = await ctx.db.query(
      `INSERT INTO idempotency (scope, key, request_sha256, state, created_at) VALUES ($1, $2, $3, 'pending', $4)
       ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [s.scope, s.key, s.hash, now],
    );
    if (mine.length > 0) return null;
    const row = await one<Row>(ctx.db, 'SELECT * FROM idempotency WHERE scope = $1 AND key = $2', [s.scope, s.key]);
    if (row) return row;
  }
  throw new HttpError(409, 'a request with this Idempotency-Key is still in progress');
}

const release = (ctx: ServerContext, s: State) =>
  ctx.db.query("DELETE FROM idempotency WHERE scope = $1 AND key = $2 AND state = 'pending'", [s.scope, s.key]);

async function payloadBytes(payload: unknown): Promise<Buffer> {
  if (payload === null || payload === undefined) return Buffer.alloc(0);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  return readAll(payload as Readable, Number.MAX_SAFE_INTEGER);
}

async function store(ctx: ServerContext, s: State, reply: FastifyReply, payload: unknown): Promise<Buffer> {
  const body = await payloadBytes(payload);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(reply.getHeaders()))
    if (KEPT_HEADERS.test(k) && v !== undefined) headers[k] = String(v);
  await ctx.db.query(
    `UPDATE idempotency SET state = 'done', status_code = $3, headers = $4, body = $5 WHERE scope = $1 AND key = $2`,
    [s.scope, s.key, reply.statusCode, JSON.stringify(headers), body],
  );
  return body;
}

/** The Idempotency-Key of a request that owns it (it does the work), else null: stored on what the work makes. */
export function ownedIdempotencyKey(request: FastifyRequest): string | null {
  const s = states.get(request);
  return s?.owner ? s.key : null;
}

export function registerIdempotency(app: FastifyInstance, ctx: ServerContext): void {
  const limit = Math.max(ctx.limits.maxJsonBytes, ctx.limits.maxUploadBytes) + 1024 * 1024;

  app.addHook('preParsing', async (request, _reply, payload) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return payload;
    if (typeof key !== 'string' || key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX) {
      throw new HttpError(400, `Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX} characters`);
    }
    const body = await readAll(payload, limit);
    const contentType = request.headers['content-type'];
    states.set(request, {
      scope: scopeOf(request),
      key,
      hash: requestHash('POST', request.url, body, contentType),
      owner: false,
      settled: false,
    });
    if (boundaryOf(contentType)) (request as { raw: IncomingMessage }).raw = replayRaw(request.raw, body);
    return bytes(body);
  });

  app.addHook('preValidation', async (request, reply) => {
    const s = states.get(request);
    if (!s) return;
    const row = await claim(ctx, s);
    if (!row) {
      s.owner = true;
      return;
    }
    if (row.request_sha256 !== s.hash) throw new HttpError(422, 'this Idempotency-Key was used with another request');
    if (row.state === 'pending') throw new HttpError(409, 'a request with this Idempotency-Key is still in progress');
    reply.status(row.status_code!).headers({ ...row.headers, 'idempotent-replayed': 'true' });
    return reply.send(Buffer.from(row.body ?? new Uint8Array()));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const s = states.get(request);
    if (!s?.owner || s.settled) return payload;
    s.settled = true;
    try {
      if (reply.statusCode >= 500) {
        await release(ctx, s);
        return payload;
      }
      return await store(ctx, s, reply, payload);
    } catch (err) {
      await release(ctx, s).catch(() => undefined);
      throw err;
    }
  });

  // A response that went out without passing onSend (a hijacked reply): free the key for a retry. A client that
  // hangs up does not free it: its request still runs to the end and its response is stored for the retry.
  app.addHook('onResponse', async (request) => {
    const s = states.get(request);
    if (s?.owner && !s.settled) {
      s.settled = true;
      await release(ctx, s);
    }
  });
}
