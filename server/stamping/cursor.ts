// Which TSAs a tenant's stamp tries, in order (seed 001 "Automatic TSA selection"): auto = round-robin over the
// tenant's enabled TSAs (empty list: every active non-qualified TSA) from the tenant's cursor; a qualified stamp goes
// to a qualified TSA only (SK ID ECC unless skid-rsa or another qualified slug is asked for).
import type { RequestHash } from '../../core/asn1/oids.js';
import { CoreError } from '../../core/errors.js';
import { planAttempts, type AttemptPlan } from '../../core/tsp/dispatcher.js';
import type { TsaProvider } from '../../core/tsp/registry.js';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';

const active = (p: TsaProvider) => p.enabled && p.url !== null;

type TenantRow = { readonly enabled_tsa_slugs: string[]; readonly plan: string; readonly cursor: string | null };

/**
 * The tenant's TSA settings and plan; for an auto stamp, the round-robin cursor is taken and advanced by the same
 * statement (a row lock held for that statement only, never across the TSA call): concurrent stamps of one tenant, on
 * any node, each get a different cursor value.
 */
function tenantRow(ctx: ServerContext, tenantId: string, takeCursor: boolean): Promise<TenantRow | null> {
  return one<TenantRow>(
    ctx.db,
    takeCursor
      ? `UPDATE tenants SET tsa_cursor = tsa_cursor + 1 WHERE id = $1
         RETURNING enabled_tsa_slugs, plan, tsa_cursor - 1 AS cursor`
      : 'SELECT enabled_tsa_slugs, plan, NULL AS cursor FROM tenants WHERE id = $1',
    [tenantId],
  );
}

export type PlanRequest = { readonly tsaSlug: string; readonly qualified: boolean; readonly hash: RequestHash | null };

/** An attempt plan and the tenant's plan name (for its quota: reserveStamp). */
export type TenantPlan = AttemptPlan & { readonly tenantPlan: string };

/** The attempt plan; `hash` null: auto asks SHA-512, a slug its preferred hash (restamp hashes the TSR with it). */
export async function planForTenant(ctx: ServerContext, tenantId: string, r: PlanRequest): Promise<TenantPlan> {
  const t = await tenantRow(ctx, tenantId, !r.qualified && r.tsaSlug === 'auto');
  const allow = t?.enabled_tsa_slugs ?? [];
  const tenantPlan = t?.plan ?? 'free';
  const hash = r.hash ?? undefined;
  if (r.qualified) {
    const slug =
      r.tsaSlug !== 'auto'
        ? r.tsaSlug
        : ctx.tsas.find((p) => p.slug === 'skid-ecc')
          ? 'skid-ecc'
          : ctx.tsas.find((p) => p.qualified && active(p))?.slug;
    const provider = ctx.tsas.find((p) => p.slug === slug);
    if (!provider?.qualified)
      throw new HttpError(400, `qualified stamps go to a qualified TSA only; "${slug ?? r.tsaSlug}" is not one`);
    return { ...planAttempts(ctx.tsas, provider.slug, 0, hash), tenantPlan };
  }
  if (r.tsaSlug !== 'auto') {
    const provider = ctx.tsas.find((p) => p.slug === r.tsaSlug);
    if (!provider || !active(provider))
      throw new HttpError(400, `unknown or inactive TSA "${r.tsaSlug}": see GET /proxy/services`);
    if (allow.length > 0 && !allow.includes(provider.slug))
      throw new HttpError(400, `TSA "${r.tsaSlug}" is not enabled for this organisation`);
    if (provider.qualified) throw new HttpError(400, `TSA "${r.tsaSlug}" is qualified: pass qualified: true`);
    return { ...planAttempts(ctx.tsas, provider.slug, 0, hash), tenantPlan };
  }
  const candidates = ctx.tsas.filter(
    (p) => active(p) && !p.qualified && (allow.length === 0 || allow.includes(p.slug)),
  );
  // core's code (still a 400): a seal tells "no TSA at all" (sealed without a time-stamp) from a refused request
  if (candidates.length === 0) throw new CoreError('TSA_NONE_ENABLED', 'no TSA is enabled for this organisation');
  return { ...planAttempts(candidates, 'auto', Number(t?.cursor ?? 0), hash), tenantPlan };
}
