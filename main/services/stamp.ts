// Stamp view: a thin adapter from the IPC contract to core/app/stamp-files.ts (files hashed here, stamped by the
// TSAs — auto or a chosen one — `.tsr` written beside each), the same function and options as `sealdesk stamp`.
import { stampInputs, type StampFileResult, type StampFilesOptions } from '../../core/app/stamp-files.js';
import { isRequestHash } from '../../core/asn1/oids.js';
import { UsageError } from '../../core/errors.js';
import { planQualified, qualifiedThisMonth } from '../../core/app/qualified-tsa.js';
import { loadSnapshot } from '../../core/tl/store.js';
import type { QualifiedPlan, StampItem } from '../../preload/api.js';
import { itemError, type ServiceContext } from './context.js';
import type { RemoteWork } from './remote.js';

/** What the Stamp view may ask for (every CLI option but --out: outputs go beside each file). */
export type StampRequest = {
  readonly tsa?: string;
  readonly label?: string;
  readonly hash?: string;
  readonly force?: boolean;
  /** Via the sync account's server: only the hash leaves (main/services/remote.ts). */
  readonly remote?: boolean;
  /** `--qualified`: only the TSAs the EU trusted lists cached in the data folder show as qualified. */
  readonly qualified?: boolean;
};

export function stampOptions(r: StampRequest): StampFilesOptions {
  if (r.hash !== undefined && !isRequestHash(r.hash)) throw new UsageError(`unknown hash ${r.hash}`);
  return { tsa: r.tsa ?? 'auto', label: r.label, hash: r.hash, force: r.force };
}

/** stampOptions with, for `--qualified`, the trusted lists the CLI caches in the same data folder (as `stamp`). */
export async function stampOptionsFor(c: ServiceContext, r: StampRequest): Promise<StampFilesOptions> {
  const qualified = r.qualified ? { lists: await loadSnapshot(c.opts.dataDir) } : undefined;
  return { ...stampOptions(r), qualified };
}

/** `sealdesk stamp --qualified --dry-run [--tsa slug]`: NO_QUALIFIED_TSA when no list is loaded or none qualifies. */
export function qualifiedPlanService(c: ServiceContext) {
  return async (r: { tsa?: string }): Promise<QualifiedPlan> => {
    const now = new Date();
    const lists = await loadSnapshot(c.opts.dataDir, now);
    return c.withDb((db) => {
      const plan = planQualified(db, lists, r.tsa ?? 'auto', now);
      return {
        usable: plan.usable.map(({ provider: p, qualification: q }) => ({
          slug: p.slug,
          name: p.name,
          service: q?.service ? `${q.service.serviceName} (${q.service.territory}, ${q.service.tspName})` : null,
        })),
        refused: plan.refused.map((x) => ({ slug: x.provider.slug, reason: x.reason })),
        month: qualifiedThisMonth(db, now),
      };
    });
  };
}

export function stampService(c: ServiceContext, remote: RemoteWork) {
  return (r: StampRequest & { paths: string[] }): Promise<StampItem[]> =>
    r.remote
      ? remote.stamp(r)
      : c.withDb(async (db) =>
          (await stampInputs(c.stampContext(db), r.paths, await stampOptionsFor(c, r))).map(stampItem),
        );
}

/** One file's stamp as the Stamp view shows it (an all-TSAs-failed error keeps its per-TSA failures in details). */
export function stampItem(r: StampFileResult): StampItem {
  if (!r.ok) return { file: r.file, error: itemError(r.error) };
  const { file, outcome } = r;
  const rec = outcome.record;
  const base = { file, tsaName: rec.tsaName, genTime: rec.genTime, serial: rec.serialHex };
  if (outcome.kind === 'queued') return { ...base, queued: true };
  return { ...base, tsrPath: outcome.tsrPath, existing: outcome.kind === 'existing' };
}
