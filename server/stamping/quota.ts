// Monthly stamp quotas per plan (seed 001: 402 "Monthly stamp limit of 50 reached…"; qualified stamps counted apart).
// A stamp is reserved by one conditional upsert before the TSA call (the row is locked and the limit checked on its
// newest version), so two nodes can never both take the last one; it is released when every TSA failed. A seal's
// time-stamp takes one from the same allowance (withStamp).
import type { ServerContext } from '../context.js';
import { one, type Sql } from '../db/sql.js';
import { HttpError } from '../errors.js';

export type Reservation = { readonly tenantId: string; readonly month: string; readonly qualified: boolean };

/** The usage row's month: UTC year and month of the server clock. */
export const monthOf = (d: Date): string => d.toISOString().slice(0, 7);

/**
 * Takes one stamp (or qualified stamp) of the tenant's monthly allowance; 402 when none is left. `tenantPlan`: the
 * tenant's plan when the caller has just read it (planForTenant), which saves a query.
 */
export async function reserveStamp(
  ctx: ServerContext,
  tenantId: string,
  qualified: boolean,
  tenantPlan?: string,
): Promise<Reservation> {
  const name =
    tenantPlan ?? (await one<{ plan: string }>(ctx.db, 'SELECT plan FROM tenants WHERE id = $1', [tenantId]))?.plan;
  const plan = ctx.plans[name ?? 'free'] ?? ctx.plans.free;
  if (!plan) throw new Error('no free plan configured');
  const month = monthOf(ctx.now());
  const column = qualified ? 'qualified' : 'stamps'; // one of two fixed names, never input
  const limit = qualified ? plan.monthlyQualified : plan.monthlyStamps;
  // The month's first stamp inserts the row with 1; later ones add 1 only while under the limit (no row: refused).
  const taken =
    limit > 0
      ? await ctx.db.query(
          `INSERT INTO usage (tenant_id, month, ${column}) VALUES ($1, $2, 1)
           ON CONFLICT (tenant_id, month) DO UPDATE SET ${column} = usage.${column} + 1 WHERE usage.${column} < $3
           RETURNING ${column}`,
          [tenantId, month, limit],
        )
      : [];
  if (taken.length === 0) {
    const what = qualified ? 'qualified stamp' : 'stamp';
    throw new HttpError(402, `Monthly ${what} limit of ${limit} reached. Upgrade your plan to continue.`);
  }
  return { tenantId, month, qualified };
}

/** Gives a reserved stamp back (every TSA failed: nothing was made). */
export async function releaseStamp(sql: Sql, r: Reservation): Promise<void> {
  const column = r.qualified ? 'qualified' : 'stamps';
  await sql.query(`UPDATE usage SET ${column} = ${column} - 1 WHERE tenant_id = $1 AND month = $2 AND ${column} > 0`, [
    r.tenantId,
    r.month,
  ]);
}

/**
 * Runs `work` holding one reserved stamp: 402 before `work` starts when none is left; the stamp is given back when
 * `work` throws (its error stays the answer) or returns a result that made no time-stamp (`stamped` false).
 */
export async function withStamp<T>(
  ctx: ServerContext,
  tenantId: string,
  qualified: boolean,
  work: () => Promise<T>,
  stamped: (result: T) => boolean,
): Promise<T> {
  const reservation = await reserveStamp(ctx, tenantId, qualified);
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await releaseStamp(ctx.db, reservation).catch(() => undefined);
    throw err;
  }
  if (!stamped(result)) await releaseStamp(ctx.db, reservation);
  return result;
}
