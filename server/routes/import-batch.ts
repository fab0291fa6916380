// Our extension for a fast push: POST /api/transactions/import/batch {items: [{hashHex, tsrBase64, label?,
// parentTransactionId?}…]} (≤ 500 items) stores many records made offline in one request and ONE database
// transaction. Each token is checked as the single import checks it (core/tsp: imprint and signature); an item that
// does not verify, or names a parent the tenant does not have, is refused alone with its reason. Answers per item, in
// order: {created, id} or {error}. Idempotent by token SHA-256 as the single route is (a repeat creates nothing).
import type { FastifyInstance } from 'fastify';
import { CoreError } from '../../core/errors.js';
import { inspectTimeStamp, judgeImprint, type TokenReport } from '../../core/tsp/token-report.js';
import type { ServerContext } from '../context.js';
import type { Sql } from '../db/sql.js';
import { isUuid, tenantOf } from '../auth/hook.js';
import { tokenSha256 } from '../stamping/record.js';
import { HASH_HEX } from './tsa.js';

export const IMPORT_BATCH_MAX_ITEMS = 500;
export const IMPORT_BATCH_MAX_BYTES = 8 * 1024 * 1024;

type Item = { hashHex: string; tsrBase64: string; label?: string; parentTransactionId?: string };
type Checked =
  { readonly tsr: Buffer; readonly sha: string; readonly report: TokenReport } | { readonly error: string };
export type BatchAnswer = { readonly created: boolean; readonly id: string } | { readonly error: string };

/** One token to import: the body of POST /api/transactions/import, an item of the batch. */
export const ITEM_SCHEMA = {
  type: 'object',
  required: ['hashHex', 'tsrBase64'],
  additionalProperties: false,
  properties: {
    hashHex: { type: 'string', pattern: HASH_HEX },
    tsrBase64: { type: 'string', pattern: '^[A-Za-z0-9+/=\\s]+$' },
    label: { type: 'string', maxLength: 255 },
    parentTransactionId: { type: 'string', maxLength: 64 },
  },
};

/** The token against the item's hash, as POST /api/transactions/import checks it. */
async function check(item: Item): Promise<Checked> {
  const tsr = Buffer.from(item.tsrBase64, 'base64');
  let report: TokenReport;
  try {
    report = await inspectTimeStamp(tsr);
  } catch (err) {
    if (err instanceof CoreError) return { error: err.message }; // not a token at all (malformed, too large)
    throw err;
  }
  const verdict = judgeImprint(report, Buffer.from(item.hashHex, 'hex'));
  if (!verdict.valid) return { error: `the token does not verify against hashHex: ${verdict.message}` };
  return { tsr, sha: tokenSha256(tsr), report };
}

/** The parents named by the items that this tenant holds. */
async function parentsOf(sql: Sql, tenantId: string, items: readonly Item[]): Promise<Set<string>> {
  const ids = [...new Set(items.map((i) => i.parentTransactionId).filter((p): p is string => !!p && isUuid(p)))];
  if (ids.length === 0) return new Set();
  const rows = await sql.query<{ id: string }>(
    'SELECT id FROM transactions WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
    [tenantId, ids],
  );
  return new Set(rows.map((r) => r.id));
}

type Good = {
  readonly i: number;
  readonly item: Item;
  readonly tsr: Buffer;
  readonly sha: string;
  report: TokenReport;
};
const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/**
 * One INSERT … SELECT FROM unnest(column arrays) … ON CONFLICT DO NOTHING, then the id of every token (new or already
 * there). Column arrays of text (the token in base64, decoded by the database) keep the parameters few and cheap to
 * bind: on PGlite, 500 rows of bound bytea parameters cost about twice as much.
 */
async function insertAll(sql: Sql, tenantId: string, userId: string | null, good: readonly Good[]) {
  const col = <T>(f: (g: Good) => T) => good.map(f);
  const inserted = await sql.query<{ token_sha256: string }>(
    `INSERT INTO transactions (tenant_id, user_id, hash_hex, hash_algorithm_oid, label, tsa_slug, tsa_name, serial,
       gen_time, tsr, token_sha256, cert_not_before, cert_not_after, qualified, policy_oid, parent_id, origin)
     SELECT $1::uuid, $2::uuid, h, a, l, NULL, n, s, g, decode(t, 'base64'), sha, nb, na, false, NULL, p, 'import'
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[],
       $10::text[], $11::timestamptz[], $12::timestamptz[], $13::uuid[]) AS u(h, a, l, n, s, g, t, sha, nb, na, p)
     ON CONFLICT (tenant_id, token_sha256) DO NOTHING RETURNING token_sha256`,
    [
      tenantId,
      userId,
      col((g) => g.item.hashHex.toLowerCase()),
      col((g) => g.report.hashAlgorithmOid),
      col((g) => g.item.label ?? null),
      col((g) => g.report.tsaName ?? 'unknown'),
      col((g) => g.report.serialHex),
      col((g) => iso(g.report.genTime)),
      col((g) => g.tsr.toString('base64')),
      col((g) => g.sha),
      col((g) => iso(g.report.signer?.notBefore)),
      col((g) => iso(g.report.signer?.notAfter)),
      col((g) => g.item.parentTransactionId ?? null),
    ],
  );
  const rows = await sql.query<{ id: string; token_sha256: string }>(
    'SELECT id, token_sha256 FROM transactions WHERE tenant_id = $1 AND token_sha256 = ANY($2::text[])',
    [tenantId, [...new Set(good.map((g) => g.sha))]],
  );
  return {
    created: new Set(inserted.map((r) => r.token_sha256)),
    idOf: new Map(rows.map((r) => [r.token_sha256, r.id])),
  };
}

export async function importBatch(
  ctx: ServerContext,
  tenantId: string,
  userId: string | null,
  items: readonly Item[],
): Promise<BatchAnswer[]> {
  const checked = await Promise.all(items.map(check));
  return ctx.db.tx(async (sql) => {
    const parents = await parentsOf(sql, tenantId, items);
    const answers: (BatchAnswer | null)[] = [];
    const good: Good[] = [];
    items.forEach((item, i) => {
      const c = checked[i]!;
      const pid = item.parentTransactionId;
      if ('error' in c) answers.push({ error: c.error });
      else if (pid !== undefined && !parents.has(pid)) answers.push({ error: 'parentTransactionId: not found' });
      else {
        answers.push(null);
        good.push({ i, item, ...c });
      }
    });
    if (good.length === 0) return answers as BatchAnswer[];
    const { created, idOf } = await insertAll(sql, tenantId, userId, good);
    for (const g of good) {
      // The same token twice in one batch: the first is the one created.
      const isNew = created.delete(g.sha);
      answers[g.i] = { created: isNew, id: idOf.get(g.sha)! };
    }
    return answers as BatchAnswer[];
  });
}

export function importBatchRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: { items: Item[] } }>(
    '/api/transactions/import/batch',
    {
      config: { auth: 'tenant' },
      bodyLimit: IMPORT_BATCH_MAX_BYTES,
      schema: {
        body: {
          type: 'object',
          required: ['items'],
          additionalProperties: false,
          properties: { items: { type: 'array', minItems: 1, maxItems: IMPORT_BATCH_MAX_ITEMS, items: ITEM_SCHEMA } },
        },
      },
    },
    async (request) => ({
      items: await importBatch(ctx, tenantOf(request), request.auth!.userId, request.body.items),
    }),
  );
}
