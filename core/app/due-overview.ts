// Use case "due overview" (RFC 3161 §4 restamp planning): what a restamp window holds — the stamp chains' newest
// links and the sealed files whose newest time-stamp's TSA certificate expires before its end, counted by month and
// by TSA — and, for auto, whether each enabled TSA's certificate outlasts the window (no_tsa_extends_protection).
// The CLI's `restamp --dry-run` and the desktop Restamp view both show this one result.
import { countDue, dueBefore, type DueCounts } from '../archive/due-counts.js';
import { judgeTsa, type TsaExtendVerdict } from '../archive/extends-protection.js';
import { dueSeals } from '../archive/seal-protection.js';
import type { Ledger } from '../ledger/open.js';
import { countRestampJob, openRestampJob } from '../ledger/restamp-jobs.js';
import { jobSeals } from '../ledger/seal-archive.js';
import { expiringLinkFacts, expiringLinks } from '../ledger/stamps.js';
import { listTsas } from '../ledger/tsa.js';

export type DueWindow = {
  /** Links whose TSA certificate expires within this many days from now are due. */
  readonly expiringWithinDays: number;
  /** Also SHA-1 links, however long their TSA certificate runs. */
  readonly includeWeakHashes?: boolean;
  /** 'auto' (default) or one TSA's slug: the TSA verdicts are given for auto only. */
  readonly tsa?: string;
};

/** One chain due: kind 'stamp' is a chain's newest link; 'pdf' / 'p7s' a sealed file (id = its seal operation). */
export type DueItem = {
  readonly id: string;
  readonly kind: 'stamp' | 'pdf' | 'p7s';
  readonly file: string | null;
  readonly tsaName: string | null;
  readonly tsaCertNotAfter: string | null;
  readonly hashAlgorithm: string | null;
  readonly genTime: string | null;
};

/** A journaled run that did not finish (cancelled, failed, or killed), with its progress. */
export type UnfinishedRun = {
  readonly id: string;
  readonly createdAt: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
};

export type DueOverview = {
  /** The window's end (ISO). */
  readonly before: string;
  /** Stamp chains and sealed files, apart. */
  readonly stamps: DueCounts;
  readonly seals: DueCounts & { readonly ids: readonly string[] };
  /** Both together. */
  readonly total: number;
  readonly byMonth: Readonly<Record<string, number>>;
  readonly byTsa: Readonly<Record<string, number>>;
  /** Auto: each enabled TSA, whether a new link from it would outlast the window. Empty for a named TSA. */
  readonly tsas: readonly TsaExtendVerdict[];
  /** Stamp chains no enabled TSA could extend (auto, none outlasts the window): nothing would be requested. */
  readonly noTsaExtendsProtection: number;
  readonly unfinished: UnfinishedRun | null;
  /** With `list`: the first chains due, sealed files first (the desktop table). */
  readonly items?: readonly DueItem[];
  /** With `ids`: every stamp chain's id (the CLI dry run's JSON). */
  readonly ids?: readonly string[];
};

export type DueOverviewOptions = { readonly now?: Date; readonly list?: number; readonly ids?: boolean };

export async function dueOverview(db: Ledger, w: DueWindow, o: DueOverviewOptions = {}): Promise<DueOverview> {
  const before = dueBefore(o.now ?? new Date(), w.expiringWithinDays);
  const q = { before, includeWeak: w.includeWeakHashes ?? false };
  // Counted row by row without the .tsr blobs; only the rows a table shows are read in full.
  const stamps = countDue(expiringLinkFacts(db, q));
  // Sealed files: their protected-until date is read from the file once per version.
  const due = await dueSeals(db, before);
  const auto = (w.tsa ?? 'auto') === 'auto';
  const tsas = auto ? enabledVerdicts(db, before) : [];
  const blocked = auto && !tsas.some((v) => v.reason === 'extends' || v.reason === 'unknown') ? stamps.selected : 0;
  const items =
    o.list === undefined
      ? undefined
      : [...due.seals.map(sealItem), ...expiringLinks(db, { ...q, limit: o.list }).map(stampItem)].slice(0, o.list);
  return {
    before: before.toISOString(),
    stamps,
    seals: { ...due.counts, ids: due.seals.map((s) => s.id) },
    total: stamps.selected + due.counts.selected,
    byMonth: sum(stamps.byMonth, due.counts.byMonth),
    byTsa: sum(stamps.byTsa, due.counts.byTsa),
    tsas,
    noTsaExtendsProtection: blocked,
    unfinished: unfinishedRun(db),
    ...(items ? { items } : {}),
    ...(o.ids ? { ids: Array.from(expiringLinkFacts(db, q), (r) => r.id) } : {}),
  };
}

/** Each enabled TSA judged for a new link against the window's end alone (a chain's own date is judged in the run). */
function enabledVerdicts(db: Ledger, before: Date): TsaExtendVerdict[] {
  return listTsas(db)
    .filter((t) => t.enabled && t.url)
    .map((t) => judgeTsa(t, before, { protectedUntil: null, tsaSlug: null }));
}

/** The oldest journaled run that did not finish, with its stamp chains and sealed files together. */
export function unfinishedRun(db: Ledger): UnfinishedRun | null {
  const job = openRestampJob(db);
  if (!job) return null;
  const chains = countRestampJob(db, job.id);
  const seals = jobSeals(db, job.id);
  const count = (state: string) => seals.filter((s) => s.state === state).length;
  return {
    id: job.id,
    createdAt: job.createdAt,
    total: chains.total + seals.length,
    done: chains.done + count('done'),
    failed: chains.failed + count('failed'),
  };
}

function sum(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}

const stampItem = (r: ReturnType<typeof expiringLinks>[number]): DueItem => ({
  id: r.id,
  kind: 'stamp',
  file: r.filePath,
  tsaName: r.tsaName,
  tsaCertNotAfter: r.tsaCertNotAfter,
  hashAlgorithm: r.imprintAlgorithm,
  genTime: r.genTime,
});

const sealItem = (s: Awaited<ReturnType<typeof dueSeals>>['seals'][number]): DueItem => ({
  id: s.id,
  kind: s.signatureType === 'pades' ? 'pdf' : 'p7s',
  file: s.outputPath,
  tsaName: s.tsaName,
  tsaCertNotAfter: s.protectedUntil,
  hashAlgorithm: null,
  genTime: null,
});
