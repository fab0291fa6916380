// One bulk restamp item in two phases. `obtainLink` (no database transaction open): RFC 3161 §4 over the newest
// token's bytes, from the tenant's TSAs that extend the chain's protection (core/archive/extends-protection.ts), each
// within its shared rate window, with failover; the monthly quota is taken as for POST /tsa/restamp. `keepLink`
// (one transaction): the new record is stored only while this node still holds the item's lease and the chain has no
// newer link yet, so a chain never gets two new links however nodes die, hang or come back.
import { createHash, randomBytes } from 'node:crypto';
import {
  extendsProtection,
  extendingOrder,
  NO_TSA_EXTENDS,
  type ChainEnd,
} from '../../core/archive/extends-protection.js';
import { requestTimestamp, planAttempts } from '../../core/tsp/dispatcher.js';
import type { TsaProvider } from '../../core/tsp/registry.js';
import { inspectTimeStamp, type TokenReport } from '../../core/tsp/token-report.js';
import { AllTsasFailedError } from '../../core/errors.js';
import type { ServerContext } from '../context.js';
import { one, type Sql } from '../db/sql.js';
import { logFailures } from '../stamping/failures.js';
import { releaseStamp, reserveStamp, type Reservation } from '../stamping/quota.js';
import { insertRecord, recordOf, type TransactionRow } from '../stamping/record.js';
import { finishItem, stillHeld, type ClaimedItem, type Outcome } from './lease.js';
import { takeRate, windowStart, type RateLimit } from './rate.js';

export type Link = {
  readonly provider: TsaProvider;
  readonly tsr: Uint8Array;
  readonly report: TokenReport;
  readonly hashHex: string;
};
export type Obtained =
  | { readonly kind: 'link'; readonly parent: TransactionRow; readonly link: Link; readonly reservation: Reservation }
  | { readonly kind: 'end'; readonly outcome: Outcome }
  | { readonly kind: 'rate_limited'; readonly retryAt: Date };

/** The tenant's TSAs for a restamp (enabled list, active, not qualified), the chain's own TSA last. */
async function candidates(ctx: ServerContext, tenantId: string, chainSlug: string | null): Promise<TsaProvider[]> {
  const t = await one<{ enabled_tsa_slugs: string[] }>(ctx.db, 'SELECT enabled_tsa_slugs FROM tenants WHERE id = $1', [
    tenantId,
  ]);
  const allow = t?.enabled_tsa_slugs ?? [];
  const ok = ctx.tsas.filter(
    (p) => p.enabled && p.url !== null && !p.qualified && (allow.length === 0 || allow.includes(p.slug)),
  );
  return [...ok.filter((p) => p.slug !== chainSlug), ...ok.filter((p) => p.slug === chainSlug)];
}

/** The notAfter of each TSA's certificate in the tenant's newest record from it (null: never seen). */
async function lastSeen(
  ctx: ServerContext,
  tenantId: string,
  slugs: readonly string[],
): Promise<Map<string, string | null>> {
  const seen = new Map<string, string | null>();
  for (const slug of slugs) {
    const r = await one<{ cert_not_after: Date }>(
      ctx.db,
      `SELECT cert_not_after FROM transactions WHERE tenant_id = $1 AND tsa_slug = $2 AND cert_not_after IS NOT NULL
       ORDER BY created_at DESC LIMIT 1`,
      [tenantId, slug],
    );
    seen.set(slug, r ? new Date(r.cert_not_after).toISOString() : null);
  }
  return seen;
}

const hasNewerLink = async (sql: Sql, id: string) =>
  (await one(sql, 'SELECT 1 AS x FROM transactions WHERE parent_id = $1 LIMIT 1', [id])) !== null;

export async function obtainLink(ctx: ServerContext, item: ClaimedItem, rate: RateLimit): Promise<Obtained> {
  const parent = await recordOf(ctx.db, item.transactionId);
  if (!parent) return { kind: 'end', outcome: { state: 'failed', error: 'the record is gone' } };
  if (await hasNewerLink(ctx.db, parent.id))
    return { kind: 'end', outcome: { state: 'skipped', error: 'already_restamped' } };
  const chain: ChainEnd = {
    protectedUntil: parent.cert_not_after ? new Date(parent.cert_not_after).toISOString() : null,
    tsaSlug: parent.tsa_slug,
  };
  const all = await candidates(ctx, item.tenantId, parent.tsa_slug);
  const seen = await lastSeen(
    ctx,
    item.tenantId,
    all.map((p) => p.slug),
  );
  const { order } = extendingOrder(all, item.windowEnd, chain, (p) => seen.get(p.slug) ?? null);
  let reservation: Reservation;
  try {
    reservation = await reserveStamp(ctx, item.tenantId, false);
  } catch (err) {
    return { kind: 'end', outcome: { state: 'failed', error: (err as Error).message } };
  }
  const errors: string[] = [];
  let limited = false;
  try {
    for (const provider of order) {
      if (!(await takeRate(ctx.db, provider.slug, ctx.now(), rate))) {
        limited = true;
        continue;
      }
      const link = await tryTsa(ctx, item.tenantId, provider, parent.tsr, errors);
      if (!link) continue;
      const notAfter = link.report.signer?.notAfter;
      if (notAfter && extendsProtection(provider.slug, new Date(notAfter), item.windowEnd, chain)) {
        return { kind: 'link', parent, link, reservation };
      }
      errors.push(`${provider.slug}: its certificate (until ${notAfter ?? 'unknown'}) does not extend protection`);
    }
  } catch (err) {
    // a database error between the reservation and its use: the stamp goes back before the error does
    await releaseStamp(ctx.db, reservation).catch(() => undefined);
    throw err;
  }
  await releaseStamp(ctx.db, reservation);
  if (limited)
    return { kind: 'rate_limited', retryAt: new Date(windowStart(ctx.now(), rate.windowMs).getTime() + rate.windowMs) };
  const extendFailed = errors.every((e) => e.endsWith('does not extend protection'));
  if (extendFailed)
    return { kind: 'end', outcome: { state: 'skipped', error: [NO_TSA_EXTENDS, ...errors].join('; ') } };
  return { kind: 'end', outcome: { state: 'failed', error: errors.join('; ') } };
}

/** One TSA asked through core's dispatcher (its checks, its failure record); null when it failed. */
async function tryTsa(
  ctx: ServerContext,
  tenantId: string,
  provider: TsaProvider,
  subject: Uint8Array,
  errors: string[],
): Promise<Link | null> {
  const plan = planAttempts([provider], provider.slug, 0);
  const hashHex = createHash(plan.hashAlgorithm).update(subject).digest('hex');
  try {
    const r = await requestTimestamp(plan, Buffer.from(hashHex, 'hex'), {
      transport: ctx.transport,
      timeoutMs: ctx.limits.tsaTimeoutMs,
      nonce: () => randomBytes(8),
    });
    const report = await inspectTimeStamp(r.responseDer);
    return { provider, tsr: r.responseDer, report: { ...report, tsaName: provider.name }, hashHex };
  } catch (err) {
    if (err instanceof AllTsasFailedError) await logFailures(ctx.db, tenantId, err.failures);
    errors.push(`${provider.slug}: ${(err as Error).message}`);
    return null;
  }
}

/** Stores the link and ends the item in one transaction; false (nothing stored) when the lease was lost. */
export async function keepLink(
  ctx: ServerContext,
  item: ClaimedItem,
  o: Extract<Obtained, { kind: 'link' }>,
): Promise<boolean> {
  let kept: boolean;
  try {
    kept = await storeLink(ctx, item, o);
  } catch (err) {
    await releaseStamp(ctx.db, o.reservation).catch(() => undefined); // rolled back: nothing was made of the stamp
    throw err;
  }
  if (!kept) await releaseStamp(ctx.db, o.reservation);
  return kept;
}

function storeLink(ctx: ServerContext, item: ClaimedItem, o: Extract<Obtained, { kind: 'link' }>): Promise<boolean> {
  return ctx.db.tx(async (sql) => {
    if (!(await stillHeld(sql, item, ctx.nodeId))) return false;
    if (await hasNewerLink(sql, o.parent.id)) {
      await finishItem(sql, item, { state: 'skipped', error: 'already_restamped' });
      return false;
    }
    const { row } = await insertRecord(sql, {
      tenantId: item.tenantId,
      userId: null,
      hashHex: o.link.hashHex,
      label: o.parent.label,
      tsaSlug: o.link.provider.slug,
      qualified: false,
      parentId: o.parent.id,
      origin: 'restamp',
      tsr: o.link.tsr,
      report: o.link.report,
    });
    await finishItem(sql, item, { state: 'done', newTransactionId: row.id });
    return true;
  });
}
