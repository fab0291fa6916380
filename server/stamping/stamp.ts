// One stamp for a tenant: quota reserved, TSAs tried in the tenant's order with failover (core/tsp), every failure
// logged, the record stored; the quota given back when every TSA failed. No database transaction is open during the
// TSA calls; the record is committed before the caller answers.
import { createHash, randomBytes } from 'node:crypto';
import type { RequestHash } from '../../core/asn1/oids.js';
import { AllTsasFailedError } from '../../core/errors.js';
import { requestTimestamp, type AttemptPlan } from '../../core/tsp/dispatcher.js';
import { inspectTimeStamp } from '../../core/tsp/token-report.js';
import type { ServerContext } from '../context.js';
import { planForTenant } from './cursor.js';
import { logFailures } from './failures.js';
import { releaseStamp, reserveStamp } from './quota.js';
import { one } from '../db/sql.js';
import { insertRecord, type TransactionRow } from './record.js';

export type StampInput = {
  readonly tenantId: string;
  readonly userId: string;
  readonly tsaSlug: string;
  readonly qualified: boolean;
  /** The hash the client sent, or null: restamp hashes `subject` with the plan's algorithm. */
  readonly hash: { readonly algorithm: RequestHash; readonly hex: string } | null;
  readonly subject?: Uint8Array;
  readonly label: string | null;
  readonly parentId: string | null;
  /** The request's Idempotency-Key: a record already made under it is the answer (its node died before replying). */
  readonly idempotencyKey?: string | null;
};

export async function stampForTenant(ctx: ServerContext, s: StampInput): Promise<TransactionRow> {
  if (s.idempotencyKey) {
    const made = await one<TransactionRow>(
      ctx.db,
      'SELECT * FROM transactions WHERE tenant_id = $1 AND idempotency_key = $2',
      [s.tenantId, s.idempotencyKey],
    );
    if (made) return made;
  }
  const plan = await planForTenant(ctx, s.tenantId, {
    tsaSlug: s.tsaSlug,
    qualified: s.qualified,
    hash: s.hash?.algorithm ?? null,
  });
  const hashHex = s.hash?.hex ?? digestHex(plan, s.subject!);
  const reservation = await reserveStamp(ctx, s.tenantId, s.qualified, plan.tenantPlan);
  let result;
  try {
    result = await requestTimestamp(plan, Buffer.from(hashHex, 'hex'), {
      transport: ctx.transport,
      timeoutMs: ctx.limits.tsaTimeoutMs,
      nonce: () => randomBytes(8),
    });
  } catch (err) {
    await releaseStamp(ctx.db, reservation);
    if (err instanceof AllTsasFailedError) await logFailures(ctx.db, s.tenantId, err.failures);
    throw err;
  }
  await logFailures(ctx.db, s.tenantId, result.failures);
  const report = await inspectTimeStamp(result.responseDer);
  const { row } = await insertRecord(ctx.db, {
    tenantId: s.tenantId,
    userId: s.userId,
    hashHex,
    label: s.label,
    tsaSlug: result.provider.slug,
    qualified: s.qualified,
    parentId: s.parentId,
    origin: s.parentId ? 'restamp' : 'stamp',
    tsr: result.responseDer,
    report: { ...report, tsaName: result.provider.name },
    idempotencyKey: s.idempotencyKey ?? null,
  });
  return row;
}

function digestHex(plan: AttemptPlan, subject: Uint8Array): string {
  return createHash(plan.hashAlgorithm).update(subject).digest('hex');
}
