// `stamp --qualified` (issue 18): which enabled TSAs may give a qualified time-stamp, judged from the cached EU trusted
// lists — a TSA whose last certificate (ledger, migration 0010) is under a TSA/QTST service granted now, in a list whose
// signature verified; a TSA whose certificate is not known yet is tried, and its token checked before it is kept (the
// first probe). The refusal when none qualifies (NO_QUALIFIED_TSA, exit 3), and the monthly count of qualified stamps.
import { CoreError } from '../errors.js';
import type { Ledger } from '../ledger/index.js';
import { listTsas, tsaLastCertificate } from '../ledger/index.js';
import { sql } from '../ledger/statements.js';
import { qualifyTimestamp, tlContext, type TlContext } from '../tl/assess.js';
import type { TlSnapshot } from '../tl/model.js';
import type { TsaProvider } from '../tsp/registry.js';
import type { Qualification } from '../model/qualification.js';
import type { QualifiedStamp } from '../stamp/stamp-file.js';

export type QualifiedTsaPlan = {
  /** Usable, in the user's order: those known to be qualified first, then those to probe. */
  readonly usable: readonly { readonly provider: TsaProvider; readonly qualification: Qualification | null }[];
  /** Enabled TSAs (or the one named) that are not qualified, with why. */
  readonly refused: readonly { readonly provider: TsaProvider; readonly reason: string }[];
  readonly tl: TlContext;
};

/** Throws NO_QUALIFIED_TSA when no list is loaded or no TSA can be qualified. `tsa`: 'auto' or one slug. */
export function planQualified(db: Ledger, snapshot: TlSnapshot | null, tsa: string, now: Date): QualifiedTsaPlan {
  if (!snapshot)
    throw new CoreError(
      'NO_QUALIFIED_TSA',
      'stamp --qualified: no EU trusted list is loaded, so no TSA can be shown to be qualified ' +
        '(`sealdesk tl refresh`, or `sealdesk tl import <lotl.xml> <tl.xml>...`)',
    );
  const tl = tlContext(snapshot, { now });
  const all = listTsas(db);
  const chosen = tsa === 'auto' ? all.filter((p) => p.enabled && p.url) : all.filter((p) => p.slug === tsa);
  if (tsa !== 'auto' && chosen.length === 0)
    throw new CoreError('TSA_UNKNOWN', `unknown TSA "${tsa}": see \`sealdesk tsa list\``);
  const known: QualifiedTsaPlan['usable'][number][] = [];
  const probe: QualifiedTsaPlan['usable'][number][] = [];
  const refused: { provider: TsaProvider; reason: string }[] = [];
  for (const provider of chosen) {
    if (!provider.url) {
      refused.push({ provider, reason: 'it has no URL yet' });
      continue;
    }
    const der = tsaLastCertificate(db, provider.slug)?.der ?? null;
    if (!der) {
      probe.push({ provider, qualification: null });
      continue;
    }
    const q = qualifyTimestamp(tl, der, [], now, null);
    if (q.level === 'QTST') known.push({ provider, qualification: q });
    else refused.push({ provider, reason: q.reason });
  }
  const usable = [...known, ...probe];
  if (usable.length === 0) {
    const why = refused.map((r) => `${r.provider.slug}: ${r.reason}`).join('; ');
    throw new CoreError(
      'NO_QUALIFIED_TSA',
      `stamp --qualified: no ${tsa === 'auto' ? 'enabled TSA' : `TSA "${tsa}"`} is under a granted TSA/QTST ` +
        `service of the EU trusted lists${why ? ` (${why})` : ''}`,
    );
  }
  return { usable, refused, tl };
}

/** A token a qualified stamp got: its TSA under a granted QTST service at its genTime, or why not. */
export function checkQualifiedToken(
  tl: TlContext,
  signer: Uint8Array | null,
  certificates: readonly Uint8Array[],
  genTime: Date,
  tstInfo: Uint8Array | null,
): Qualification | string {
  if (!signer) return 'the token does not carry its TSA certificate';
  const q = qualifyTimestamp(tl, signer, certificates, genTime, tstInfo);
  return q.level === 'QTST' ? q : q.reason;
}

/** Qualified stamps counted apart, as the seed does: this calendar month (UTC) and all stamps in it. */
export function qualifiedThisMonth(db: Ledger, now: Date): { month: string; qualified: number; all: number } {
  const month = now.toISOString().slice(0, 7);
  const from = `${month}-01T00:00:00.000Z`;
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
  const r = sql(
    db,
    `SELECT COUNT(*) AS n, COALESCE(SUM(qualified), 0) AS q FROM stamps
      WHERE status = 'stamped' AND created_at >= ? AND created_at < ?`,
  ).get(from, next) as { n: number; q: number };
  return { month, qualified: r.q, all: r.n };
}

/** What stampFile needs for a qualified stamp: the usable TSAs and the check each token passes before it is kept. */
export function qualifiedStamp(db: Ledger, snapshot: TlSnapshot | null, tsa: string, now: Date): QualifiedStamp {
  const plan = planQualified(db, snapshot, tsa, now);
  return {
    providers: plan.usable.map((u) => u.provider),
    check: (r) => {
      const token = r.decoded.token;
      if (!token) return 'the answer holds no token';
      const q = checkQualifiedToken(
        plan.tl,
        r.signature.signer?.der ?? null,
        token.certificates,
        token.tstInfo.genTime,
        token.eContent,
      );
      return typeof q === 'string' ? q : null;
    },
  };
}
