// The one ETSI EN 319 102-1 indication decider, used by PAdES, CAdES and time-stamp token verification: every
// finding is a reason, the most serious decides. The indication types themselves live in core/model.
import type { Indication, SubIndication } from '../model/indication.js';

export type { Indication, SubIndication };

export type Finding = { readonly sub: SubIndication; readonly reason: string };

export type Decision = {
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  /** Every finding's reason, most serious first (and why nothing passed when no finding explains it). */
  readonly reasons: readonly string[];
};

/**
 * Most serious first: a failure proven by the bytes outranks what is merely not established. TOTAL-FAILED first; then
 * the signer not identified; then a constraint the signature's own bytes break (an invalid or copied time-stamp, a
 * missing ESS binding): it must not hide behind a missing trust anchor; then the certificate (no path to an anchor,
 * before a path at the wrong time), weak algorithms, revocation data not at hand.
 */
export const ORDER: readonly (readonly [SubIndication, Indication])[] = [
  ['FORMAT_FAILURE', 'TOTAL-FAILED'],
  ['HASH_FAILURE', 'TOTAL-FAILED'],
  ['SIG_CRYPTO_FAILURE', 'TOTAL-FAILED'],
  ['REVOKED', 'TOTAL-FAILED'],
  ['NO_SIGNING_CERTIFICATE_FOUND', 'INDETERMINATE'],
  ['SIG_CONSTRAINTS_FAILURE', 'INDETERMINATE'],
  ['NO_CERTIFICATE_CHAIN_FOUND', 'INDETERMINATE'],
  ['OUT_OF_BOUNDS_NO_POE', 'INDETERMINATE'],
  ['CRYPTO_CONSTRAINTS_FAILURE_NO_POE', 'INDETERMINATE'],
  ['TRY_LATER', 'INDETERMINATE'],
  ['NO_SIGNATURE_FOUND', 'INDETERMINATE'],
];

export const NOT_INTACT = 'the signature could not be shown to be intact';

/** No finding: TOTAL-PASSED when the signed data was shown intact, else INDETERMINATE (with that reason). */
export function decide(findings: readonly Finding[], intact: boolean): Decision {
  const sorted = [...findings].sort((a, b) => rank(a.sub) - rank(b.sub));
  const top = sorted[0];
  const indication: Indication = top ? ORDER[rank(top.sub)]![1] : intact ? 'TOTAL-PASSED' : 'INDETERMINATE';
  const reasons = sorted.map((f) => f.reason);
  if (!top && !intact) reasons.push(NOT_INTACT);
  return { indication, subIndication: top?.sub ?? null, reasons };
}

const rank = (s: SubIndication): number => ORDER.findIndex(([x]) => x === s);
