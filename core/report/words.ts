// ETSI indications in words a person understands, shared by the terminal, HTML and desktop reports.
import type { Indication, SignatureReport, SubIndication } from '../pades/verify/types.js';
import type { Qualification, QualificationLevel, TrustSource } from '../model/qualification.js';

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

export const QUALIFICATION_WORDS: Record<QualificationLevel, string> = {
  QESig: 'Qualified electronic signature',
  QESeal: 'Qualified electronic seal',
  'AdESig-QC': 'Advanced electronic signature with a qualified certificate',
  'AdESeal-QC': 'Advanced electronic seal with a qualified certificate',
  QTST: 'Qualified electronic time-stamp',
  'not-qualified': 'Not qualified',
};

/** "Qualified electronic seal (EE, SK ID Solutions AS)", or "Not qualified: why" (EU trusted lists). */
export function qualificationText(q: Qualification): string {
  const stale = q.list?.stale ? ' — the list is past its next update' : '';
  if (q.level === 'not-qualified') return `Not qualified: ${q.reason}`;
  const who = q.service ? ` (${q.service.territory}, ${q.service.tspName})` : '';
  return `${QUALIFICATION_WORDS[q.level]}${who}${stale}`;
}

/** Which source made a certificate trusted, in words (null: none named). */
export function trustSourceText(s: TrustSource | null | undefined): string | null {
  if (!s) return null;
  if (s.kind === 'anchor') return 'an explicit trust anchor';
  if (s.kind === 'dev-ca') return 'a development (test) CA';
  return `the EU trusted lists: ${s.serviceName} (${s.territory}, ${s.tspName})`;
}
