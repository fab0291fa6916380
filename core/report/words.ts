// ETSI indications in words a person understands, shared by the terminal, HTML and desktop reports.
import type { Indication, SignatureReport, SubIndication } from '../pades/verify/types.js';

export const INDICATION_WORDS: Record<Indication, string> = {
  'TOTAL-PASSED': 'valid',
  'TOTAL-FAILED': 'invalid',
  INDETERMINATE: 'not confirmed',
};

export const SUB_INDICATION_WORDS: Record<SubIndication, string> = {
  FORMAT_FAILURE: 'the signature or the document is not well formed, or was changed in a way no rule allows',
  HASH_FAILURE: 'the signed content was altered',
  SIG_CRYPTO_FAILURE: 'the signature value does not verify',
  REVOKED: 'the certificate was revoked',
  NO_SIGNING_CERTIFICATE_FOUND: "the signer's certificate is missing",
  NO_CERTIFICATE_CHAIN_FOUND: 'the certificate does not chain to a trust anchor',
  OUT_OF_BOUNDS_NO_POE: 'the certificate was not valid at the proven time',
  TRY_LATER: 'revocation data is missing',
  CRYPTO_CONSTRAINTS_FAILURE_NO_POE: 'weak algorithms',
  SIG_CONSTRAINTS_FAILURE: 'a signature constraint is not met',
  NO_SIGNATURE_FOUND: 'no signature found',
};

export function coverage(s: SignatureReport, revisions: number): string {
  if (s.coversWholeDocument)
    return s.revision ? `revision ${s.revision} of ${revisions}, the whole document` : 'the whole document';
  return s.revision
    ? `revision ${s.revision} of ${revisions} (later revisions are not covered)`
    : 'an unclear part of the file';
}
