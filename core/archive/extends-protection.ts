// RFC 3161 §4 restamping must extend protection: a new link protects a chain only until its own TSA certificate
// expires, so auto selection for a restamp keeps only the TSAs whose last seen certificate outlasts both the run's
// window and the chain's current protected-until. A TSA never seen yet may be tried (its certificate is unknown until
// its first token); a token whose certificate does not extend is not kept as a link, and that TSA is known from then.
import { CoreError, assertNever } from '../errors.js';
import type { TsaProvider } from '../tsp/registry.js';

/** Why a TSA may or may not extend a chain: `unknown` is a TSA never seen yet (no accepted token so far). */
export type TsaExtendReason = 'extends' | 'unknown' | 'expires_in_window' | 'not_after_protected_until';

export type TsaExtendVerdict = {
  readonly slug: string;
  readonly name: string;
  /** notAfter of the certificate of its newest accepted token; null: never seen. */
  readonly lastCertNotAfter: string | null;
  readonly reason: TsaExtendReason;
};

/** The stable reason a run reports for a chain no enabled TSA can extend (the journal's error text starts with it). */
export const NO_TSA_EXTENDS = 'no_tsa_extends_protection' as const;

/** The chain a restamp extends: when its protection ends now, and which TSA made its newest link. */
export type ChainEnd = { readonly protectedUntil: string | null; readonly tsaSlug: string | null };

/**
 * Whether a link from TSA `slug` whose certificate expires at `notAfter` extends a chain: it must expire after the
 * window's end (else the chain is due again at the next run) and not before the chain's protected-until (else the
 * chain's protection would end sooner). The same date is allowed from another TSA — it broadens the chain's trust base
 * without shortening it (`restamp <id>` to diversify) — but not from the TSA of the newest link: that adds nothing.
 */
export function extendsProtection(slug: string, notAfter: Date, windowEnd: Date, chain: ChainEnd): boolean {
  return whyNot(slug, notAfter, windowEnd, chain) === null;
}

function whyNot(slug: string, notAfter: Date, windowEnd: Date, chain: ChainEnd): TsaExtendReason | null {
  if (notAfter <= windowEnd) return 'expires_in_window';
  const p = chain.protectedUntil ? new Date(chain.protectedUntil).getTime() : NaN;
  const t = notAfter.getTime();
  if (!Number.isNaN(p) && (t < p || (t === p && slug === chain.tsaSlug))) return 'not_after_protected_until';
  return null;
}

/** The date a new link must reach (for messages): the later of the window's end and the chain's protected-until. */
export function mustOutlast(windowEnd: Date, { protectedUntil }: ChainEnd): Date {
  const p = protectedUntil ? new Date(protectedUntil) : null;
  return p && !Number.isNaN(p.getTime()) && p > windowEnd ? p : windowEnd;
}

/** One TSA judged from what the ledger (or the run, for tokens accepted since it began) last saw of it. */
export function judgeTsa(
  p: TsaProvider,
  windowEnd: Date,
  chain: ChainEnd,
  seen = p.lastCertNotAfter ?? null,
): TsaExtendVerdict {
  const base = { slug: p.slug, name: p.name, lastCertNotAfter: seen };
  if (!seen) return { ...base, reason: 'unknown' };
  return { ...base, reason: whyNot(p.slug, new Date(seen), windowEnd, chain) ?? 'extends' };
}

/** The auto order kept as it is (round-robin, the previous link's TSA last) among the TSAs known to extend or never
 * seen; the rest skipped. */
export function extendingOrder(
  order: readonly TsaProvider[],
  windowEnd: Date,
  chain: ChainEnd,
  seen: (p: TsaProvider) => string | null = (p) => p.lastCertNotAfter ?? null,
): { order: TsaProvider[]; skipped: TsaExtendVerdict[] } {
  const verdicts = order.map((p) => ({ p, v: judgeTsa(p, windowEnd, chain, seen(p)) }));
  return {
    order: verdicts.filter((x) => x.v.reason === 'extends' || x.v.reason === 'unknown').map((x) => x.p),
    skipped: verdicts.filter((x) => x.v.reason !== 'extends' && x.v.reason !== 'unknown').map((x) => x.v),
  };
}

const day = (iso: string) => iso.slice(0, 10);

/** One TSA's verdict in words (dry run, errors). */
export function verdictText(v: TsaExtendVerdict, windowEnd: Date): string {
  switch (v.reason) {
    case 'extends':
      return `${v.name}: certificate valid until ${day(v.lastCertNotAfter!)}, after ${day(windowEnd.toISOString())} — extends protection`;
    case 'unknown':
      return `${v.name}: never seen yet — may be tried; its certificate is checked before the link is kept`;
    case 'expires_in_window':
      return (
        `${v.name}: certificate expires ${day(v.lastCertNotAfter!)}, inside the window (before ${day(windowEnd.toISOString())})` +
        ' — skipped, would not extend protection'
      );
    case 'not_after_protected_until':
      return (
        `${v.name}: certificate expires ${day(v.lastCertNotAfter!)}, not after the chain's current protection` +
        ' (nor another TSA to the same date) — skipped'
      );
    default:
      return assertNever(v.reason);
  }
}

/** Thrown (code NO_TSA_EXTENDS_PROTECTION) when no enabled TSA can extend a chain; the message starts with NO_TSA_EXTENDS. */
export class NoTsaExtendsError extends CoreError {
  override readonly name = 'NoTsaExtendsError';
  constructor(
    readonly recordId: string,
    readonly skipped: readonly TsaExtendVerdict[],
    detail: string,
    readonly windowEnd: Date,
  ) {
    super(
      'NO_TSA_EXTENDS_PROTECTION',
      `${NO_TSA_EXTENDS}: record ${recordId} not restamped — ${detail}; ` +
        `enable or add a TSA whose certificate outlasts ${day(windowEnd.toISOString())}`,
    );
  }
}
