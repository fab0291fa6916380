// Findings to one ETSI EN 319 102-1 indication: the most serious finding decides, every finding is a reason.
import type { Indication, SignatureReport, SubIndication } from './types.js';

export type Finding = { readonly sub: SubIndication; readonly reason: string };

/** Most serious first: a failure proven by the bytes outranks what is merely not (yet) established. */
const ORDER: readonly [SubIndication, Indication][] = [
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

export function decide(report: SignatureReport, findings: readonly Finding[], intact: boolean): SignatureReport {
  const sorted = [...findings].sort((a, b) => rank(a.sub) - rank(b.sub));
  const top = sorted[0];
  const indication: Indication = top ? ORDER[rank(top.sub)]![1] : intact ? 'TOTAL-PASSED' : 'INDETERMINATE';
  const reasons = sorted.map((f) => f.reason);
  if (!top && !intact) reasons.push('the signature could not be shown to be intact');
  return { ...report, indication, subIndication: top?.sub ?? null, intact, valid: indication === 'TOTAL-PASSED', reasons };
}

const rank = (s: SubIndication) => ORDER.findIndex(([x]) => x === s);
