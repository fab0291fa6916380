// Restamp view and History chains (RFC 3161 §4): the chains due in a window (the CLI dry-run's selection and
// counts), journaled restamp runs for the jobs service, and a record's chain with its protected-until date.
import { chainOf, countDue, dueBefore, dueSeals, p7sChainOf, pdfChainOf, runRestampJob, runSealRestamps, type Chain, type LinkVerdict, type P7sChain, type PdfChain, type RestampControl } from '../../core/archive/index.js';
import { CoreError, UsageError } from '../../core/errors.js';
import { addJobSeals, childStamps, createRestampJob, expiringLinkFacts, expiringLinks, getOperation, getStamp, jobSeals, listTrustAnchors, openRestampJob, restampJobItems, type ExpiringSeal, type Ledger, type RestampJob } from '../../core/ledger/index.js';
import type { StampRecord } from '../../core/model/stamp.js';
import type { ChainView, DueChain, RequestOf, RestampDue, RestampItem, RestampRun } from '../../preload/api.js';
import type { ServiceContext } from './context.js';

/** The table shows this many chains at most; the counts cover all (the command line takes any number). */
export const DUE_SHOWN = 2000;
/** Chains restamped at once, as the CLI's default. */
const CONCURRENCY = 2;

export function restampDueService(c: ServiceContext) {
  return (r: RequestOf<'restamp:due'>): Promise<RestampDue> =>
    c.withDb(async (db) => {
      const before = dueBefore(new Date(), r.withinDays);
      const q = { before, includeWeak: r.includeWeak ?? false };
      // Counted row by row without the .tsr blobs; only the rows the table shows are read in full.
      const stamps = countDue(expiringLinkFacts(db, q));
      // Sealed files too: their protected-until date is read from the file once per version (the CLI does the same).
      const { seals, counts } = await dueSeals(db, before);
      const chains = [...seals.map(dueSeal), ...expiringLinks(db, { ...q, limit: DUE_SHOWN }).map(dueChain)].slice(0, DUE_SHOWN);
      return { before: before.toISOString(), total: stamps.selected + counts.selected, chains, byMonth: sum(stamps.byMonth, counts.byMonth), byTsa: sum(stamps.byTsa, counts.byTsa), unfinished: unfinishedRun(db) };
    });
}

const sum = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> => {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
};
const dueChain = (r: StampRecord): DueChain => ({ id: r.id, kind: 'stamp', file: r.filePath, tsaName: r.tsaName, tsaCertNotAfter: r.tsaCertNotAfter, hashAlgorithm: r.imprintAlgorithm, genTime: r.genTime });
const dueSeal = (s: ExpiringSeal): DueChain => ({ id: s.id, kind: s.signatureType === 'pades' ? 'pdf' : 'p7s', file: s.outputPath, tsaName: s.tsaName, tsaCertNotAfter: s.protectedUntil, hashAlgorithm: null, genTime: null });

/** The oldest journaled run that did not finish (cancelled, failed, or killed), with its progress. */
function unfinishedRun(db: Ledger): RestampRun | null {
  const job = openRestampJob(db);
  if (!job) return null;
  const items = [...restampJobItems(db, job.id), ...jobSeals(db, job.id)];
  return { id: job.id, createdAt: job.createdAt, total: items.length, done: items.filter((i) => i.state === 'done').length, failed: items.filter((i) => i.state === 'failed').length };
}

/** allowMissingValidationData: sealed files whose validation data cannot all be had are restamped all the same. */
export type RestampPlan = { readonly job: RestampJob; readonly total: number; readonly done: number; readonly allowMissingValidationData: boolean };

/** The journal entry a restamp job runs: a new run of the chosen chains' newest links, or the unfinished one resumed. */
export function planRestampRun(c: ServiceContext, r: RequestOf<'jobs:restamp'>): Promise<RestampPlan> {
  return c.withDb((db) => {
    if ('resume' in r) {
      const open = openRestampJob(db);
      if (!open || open.id !== r.resume) throw new CoreError('NOT_FOUND', `no unfinished restamp run ${r.resume}: it finished, or another run is older (open the Restamp view again)`);
      const items = [...restampJobItems(db, open.id), ...jobSeals(db, open.id)];
      return { job: open, total: items.length, done: items.filter((i) => i.state === 'done').length, allowMissingValidationData: r.allowMissingValidationData ?? false };
    }
    const unique = [...new Set(r.ids)];
    const sealIds = unique.filter((id) => getOperation(db, id));
    const ids = unique.filter((id) => !sealIds.includes(id));
    for (const id of ids) {
      if (!getStamp(db, id)) throw new CoreError('NOT_FOUND', `no stamp ${id}`);
      // A link that already has a child is not its chain's newest: the journal would count that child as the new link.
      const child = childStamps(db, id).at(-1);
      if (child) throw new UsageError(`stamp ${id} is already restamped (its chain continues with ${child.id}): choose the chain's newest link`);
    }
    const now = new Date();
    const job = createRestampJob(db, { createdAt: now.toISOString(), before: dueBefore(now, r.withinDays ?? 0).toISOString(), includeWeak: r.includeWeak ?? false, tsa: r.tsa ?? 'auto' }, ids);
    addJobSeals(db, job.id, sealIds);
    return { job, total: unique.length, done: 0, allowMissingValidationData: r.allowMissingValidationData ?? false };
  });
}

/** Runs a planned restamp; pause and cancel act between chains. Every chain of the run comes back: new link, error, or not started. */
export function runRestampPlan(c: ServiceContext, plan: RestampPlan, o: RestampControl & { onProgress: (p: { done: number; failed: number; active: number }) => void }): Promise<RestampItem[]> {
  // Chains under way = started (past the pause/cancel check) − finished in this run: a pause is complete at 0.
  let started = 0;
  let last = { done: plan.done, failed: 0 };
  const report = () => o.onProgress({ ...last, active: started - (last.done - plan.done) - last.failed });
  const whilePaused = async () => {
    await o.whilePaused?.();
    if (o.signal?.aborted) return;
    started++;
    report();
  };
  return c.withDb(async (db) => {
    // Sealed files first, as the CLI does: the run stays open until its stamp chains are done too.
    let seals = { done: 0, failed: 0 };
    const sealed = await runSealRestamps(c.stampContext(db), plan.job, { concurrency: 1, allowMissingValidationData: plan.allowMissingValidationData, signal: o.signal, whilePaused, onProgress: (p) => ((seals = p), (last = { done: plan.done + p.done, failed: p.failed }), report()) });
    const result = await runRestampJob(c.stampContext(db), plan.job, { concurrency: CONCURRENCY, signal: o.signal, whilePaused, onProgress: (p) => ((last = { done: p.done + seals.done, failed: p.failed + seals.failed }), report()) });
    const sealItems = sealed.results.map((i): RestampItem => {
      const op = getOperation(db, i.operationId);
      const done = jobSeals(db, plan.job.id).find((s) => s.operationId === i.operationId)?.state === 'done';
      return {
        file: op?.outputPath ?? i.operationId, kind: op?.signatureType === 'cades' ? 'p7s' : 'pdf', stampId: i.operationId, newId: done ? i.operationId : null,
        ...(i.error && !done ? { error: { code: 'RESTAMP_FAILED', message: i.error } } : {}), ...(i.missingValidationData ? { missingValidationData: i.missingValidationData } : {}),
      };
    });
    return [...sealItems, ...result.results.map((i): RestampItem => ({
      file: getStamp(db, i.stampId)?.filePath ?? i.stampId, kind: 'stamp', stampId: i.stampId, newId: i.newId,
      ...(i.error && !i.newId ? { error: { code: 'RESTAMP_FAILED', message: i.error } } : {}),
    }))];
  });
}

/** history:chain — a stamp's chain, or a seal's time-stamps (PDF or .p7s): intact, and trusted by the ledger's trust anchors. */
export function chainService(c: ServiceContext) {
  return (r: { id: string }): Promise<ChainView | null> =>
    c.withDb(async (db) => {
      const op = getOperation(db, r.id);
      const anchors = listTrustAnchors(db).map((a) => a.der);
      if (!op) return stampChainView(await chainOf(db, r.id, { anchors }));
      if (!op.outputPath) return null; // queued: nothing written yet
      return op.signatureType === 'pades' ? sealChainView('pdf', await pdfChainOf(db, r.id, anchors)) : sealChainView('p7s', await p7sChainOf(db, r.id, anchors));
    });
}

const verdict = (l: LinkVerdict) => ({ intact: l.intact, trusted: l.trusted, problems: l.problems, trustProblems: l.trustProblems });

const stampChainView = (c: Chain): ChainView => ({
  id: c.id, kind: 'stamp', intact: c.intact, trusted: c.trusted, protectedUntil: c.protectedUntil,
  links: c.links.map((l, i) => ({ n: i + 1, id: l.record.id, kind: 'stamp', genTime: l.record.genTime, tsaName: l.record.tsaName, hashAlgorithm: l.record.imprintAlgorithm, tsaCertNotAfter: l.record.tsaCertNotAfter, ...verdict(l) })),
});

const sealChainView = (kind: 'pdf' | 'p7s', c: PdfChain | P7sChain): ChainView => ({
  id: c.id, kind, intact: c.intact, trusted: c.trusted, protectedUntil: c.protectedUntil,
  links: c.links.map((l, i) => ({ n: i + 1, id: null, kind: l.kind, genTime: l.genTime, tsaName: l.tsaName, hashAlgorithm: null, tsaCertNotAfter: l.tsaCertNotAfter, ...verdict(l) })),
});
