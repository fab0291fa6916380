// What verifying a PDF reports: one ETSI EN 319 102-1 outcome per signature and document time-stamp, and the
// document's. Plain data (the CLI's --json, the desktop's verify view, the HTML/PDF report).
import type { Change, QcStatements, RevocationFinding, Trust } from './facts.js';
import type { Indication, SubIndication } from './indication.js';
import type { Qualification, TrustSource } from './qualification.js';

export type CertificateReport = {
  readonly subject: string;
  readonly issuer: string;
  readonly serialHex: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly trust: Trust;
  readonly trustPath: readonly string[];
  readonly trustMessage: string;
  /** What made it trusted: an explicit anchor, the EU trusted lists (country, service) or a dev CA. */
  readonly trustSource?: TrustSource | null;
  readonly qc: QcStatements | null;
  /** Key usage bits the certificate allows (null: no key usage extension). */
  readonly keyUsage: readonly string[] | null;
};

export type TimestampReport = {
  readonly genTime: string | null;
  readonly tsaName: string | null;
  /** The token is sound and its imprint covers what it must. */
  readonly valid: boolean;
  readonly tsa: CertificateReport | null;
  readonly problems: readonly string[];
  /** What the EU trusted lists say of its TSA at genTime (absent or null: no lists loaded). */
  readonly qualification?: Qualification | null;
};

export type SignatureReport = {
  readonly index: number;
  readonly fieldName: string;
  readonly kind: 'signature' | 'document-timestamp';
  readonly subFilter: string | null;
  /** The revision the signature covers, counted from 1. */
  readonly revision: number | null;
  readonly byteRange: readonly number[] | null;
  readonly coversWholeDocument: boolean;
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  /** The signed bytes are unchanged and the signature value matches them. */
  readonly intact: boolean;
  /** Intact, and cryptographically and policy-wise acceptable: indication TOTAL-PASSED. */
  readonly valid: boolean;
  /** Why it is not TOTAL-PASSED, most serious first. */
  readonly reasons: readonly string[];
  readonly warnings: readonly string[];
  readonly signer: CertificateReport | null;
  /** What the EU trusted lists say of the signer's certificate at the proof of existence (null: no lists loaded);
   * a document time-stamp's is its TSA's. */
  readonly qualification?: Qualification | null;
  readonly algorithms: {
    readonly digest: string | null;
    readonly signature: string | null;
    readonly weak: readonly string[];
  };
  readonly claimed: {
    readonly signingTime: string | null;
    readonly reason: string | null;
    readonly location: string | null;
    readonly name: string | null;
  };
  readonly timestamp: TimestampReport | null;
  readonly proofOfExistence: {
    readonly time: string;
    readonly source: 'signature-timestamp' | 'document-timestamp' | 'validation-time';
  };
  readonly revocation: readonly RevocationFinding[];
  readonly changesAfter: readonly Change[];
};

export type PdfReport = {
  readonly file: string;
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  readonly signatures: readonly SignatureReport[];
  readonly revisions: number;
  readonly problems: readonly string[];
  readonly validationTime: string;
  readonly trustAnchors: readonly string[];
};
