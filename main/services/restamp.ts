// Restamp view and History chains: thin adapters from the IPC contract to core/app (due-overview.ts, restamp.ts,
// history.ts) — the same functions, with the same options, as the CLI's `restamp` and `chain`.
import { dueOverview } from '../../core/app/due-overview.js';
import { recordChain, chainView } from '../../core/app/history.js';
import {
  restampOne,
  runBulkRestamp,
  startBulkRestamp,
  type BulkRestampOptions,
  type BulkRun,
  type BulkSelection,
} from '../../core/app/restamp.js';
import { getOperation, getStamp, jobSeals } from '../../core/ledger/index.js';
import type { ChainView, RequestOf, RestampDue, RestampItem, RestampOneItem } from '../../preload/api.js';
import type { ServiceContext } from './context.js';
import type { RemoteWork } from './remote.js';

/** The table shows this many chains at most; the counts cover all (a window run takes any number). */
export const DUE_SHOWN = 2000;
/** Chains restamped at once unless the view says: gentle on the TSAs while someone works at the desktop. */
const CONCURRENCY = 2;

export function restampDueService(c: ServiceContext) {
  return (r: RequestOf<'restamp:due'>): Promise<RestampDue> =>
    c.withDb(async (db) => {
      const w = { expiringWithinDays: r.withinDays, includeWeakHashes: r.includeWeak ?? false, tsa: r.tsa ?? 'auto' };
      const d = await dueOverview(db, w, { list: DUE_SHOWN });
      return {
        before: d.before,
        total: d.total,
        chains: d.items ?? [],
        byMonth: d.byMonth,
        byTsa: d.byTsa,
        unfinished: d.unfinished,
        tsas: d.tsas,
        noTsaExtendsProtection: d.noTsaExtendsProtection,
      };
    });
}

/** A journaled run ready for the jobs service, with the options it runs with. */
export type RestampPlan = BulkRun & { readonly options: BulkRestampOptions };

/** The journal entry a restamp job runs: the chosen chains, every one due in a window (as the CLI), or a resume. */
export function planRestampRun(c: ServiceContext, r: RequestOf<'jobs:restamp'>): Promise<RestampPlan> {
  const options: BulkRestampOptions = {
    expiringWithinDays: 'withinDays' in r ? (r.withinDays ?? 0) : 0,
    includeWeakHashes: 'includeWeak' in r ? r.includeWeak : false,
    tsa: 'tsa' in r ? (r.tsa ?? 'auto') : 'auto',
    concurrency: r.concurrency ?? CONCURRENCY,
    perTsa: r.perTsa,
    rate: r.rate,
    allowMissingValidationData: r.allowMissingValidationData ?? false,
    allowPrivateNetwork: r.allowPrivateNetwork ?? false,
  };
  const sel: BulkSelection =
    'resume' in r ? { by: 'resume', id: r.resume } : 'ids' in r ? { by: 'ids', ids: r.ids } : { by: 'window' };
  return c.withDb(async (db) => ({ ...(await startBulkRestamp(db, sel, options)), options }));
}

/** Runs a planned restamp; pause and cancel act between chains. Every chain of the run comes back: new link, error, or
 * not started. */
export function runRestampPlan(
  c: ServiceContext,
  plan: RestampPlan,
  o: {
    signal?: AbortSignal;
    whilePaused?: () => Promise<void>;
    onProgress: (p: { done: number; failed: number; active: number }) => void;
  },
): Promise<RestampItem[]> {
  return c.withDb(async (db) => {
    const r = await runBulkRestamp(c.stampContext(db), plan, plan.options, {
      signal: o.signal,
      whilePaused: o.whilePaused,
      onProgress: (p) => o.onProgress({ done: p.all.done, failed: p.all.failed, active: p.active }),
    });
    const states = new Map(jobSeals(db, plan.job.id).map((s) => [s.operationId, s.state]));
    const sealItems = r.seals.results.map((i): RestampItem => {
      const op = getOperation(db, i.operationId);
      const done = states.get(i.operationId) === 'done';
      return {
        file: op?.outputPath ?? i.operationId,
        kind: op?.signatureType === 'cades' ? 'p7s' : 'pdf',
        stampId: i.operationId,
        newId: done ? i.operationId : null,
        ...(i.error && !done ? { error: { code: 'RESTAMP_FAILED', message: i.error } } : {}),
        ...(i.missingValidationData ? { missingValidationData: i.missingValidationData } : {}),
      };
    });
    return [
      ...sealItems,
      ...r.chains.results.map((i): RestampItem => ({
        file: getStamp(db, i.stampId)?.filePath ?? i.stampId,
        kind: 'stamp',
        stampId: i.stampId,
        newId: i.newId,
        ...(i.error && !i.newId ? { error: { code: 'RESTAMP_FAILED', message: i.error } } : {}),
      })),
    ];
  });
}

/** history:chain — a stamp's chain, or a seal's time-stamps (PDF or .p7s): intact, and trusted by the ledger's anchors;
 * `online`: each TSA certificate's revocation asked first, as `sealdesk chain --online`. */
export function chainService(c: ServiceContext) {
  return (r: { id: string; online?: boolean; allowPrivateNetwork?: boolean }): Promise<ChainView | null> =>
    c.withDb(async (db) => {
      const network = { allowPrivateNetwork: r.allowPrivateNetwork === true };
      const online = r.online ? { db, now: () => new Date(), timeoutMs: c.opts.tsaTimeoutMs, network } : null;
      const found = await recordChain(db, r.id, online);
      return found ? chainView(found) : null;
    });
}

/** restamp:one — `sealdesk restamp <id>`: a stamp chain's new link, or a sealed file's new time-stamp in place. */
export function restampOneService(c: ServiceContext, remote: RemoteWork) {
  return (r: RequestOf<'restamp:one'>): Promise<RestampOneItem> =>
    r.remote
      ? remote.restamp(r) // via the server: POST /tsa/restamp, the chain extended here
      : c.withDb(async (db) => {
          const policy = {
            allowMissingValidationData: r.allowMissingValidationData,
            allowPrivateNetwork: r.allowPrivateNetwork,
          };
          const x = await restampOne(c.stampContext(db), r.id, r.tsa ?? 'auto', policy);
          if (x.kind === 'seal') {
            const common = { kind: 'seal' as const, id: x.id, newId: null, tsaName: x.tsaName, path: x.outputPath };
            return { ...common, missingValidationData: x.missingValidationData };
          }
          const path = x.tsrPath;
          return {
            kind: 'stamp',
            id: x.parent.id,
            newId: x.record.id,
            tsaName: x.record.tsaName,
            path,
            missingValidationData: [],
          };
        });
}
