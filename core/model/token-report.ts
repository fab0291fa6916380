// What `inspect` reports about an RFC 3161 time-stamp token, and what verifying a file against one (`verify --tsr`)
// reports. Plain data, structured-clone safe.
import type { HashAlgorithm } from '../asn1/oids.js';
import type { ChainResult, PkiStatusInfo } from './facts.js';
import type { Indication, SubIndication } from './indication.js';
import type { Qualification, TrustSource } from './qualification.js';

export type TokenReport = {
  readonly kind: 'response' | 'token';
  readonly status: PkiStatusInfo | null;
  readonly genTime: string | null;
  readonly serialHex: string | null;
  readonly hashAlgorithmOid: string | null;
  readonly hashAlgorithm: HashAlgorithm | null;
  readonly imprintHex: string | null;
  readonly policyOid: string | null;
  readonly nonceHex: string | null;
  readonly accuracy: { readonly seconds: number; readonly millis: number; readonly micros: number } | null;
  readonly ordering: boolean;
  /** TSTInfo's tsa field, else the signer's subject, else null. */
  readonly tsaName: string | null;
  readonly signer: {
    readonly subject: string;
    readonly issuer: string;
    readonly serialHex: string;
    readonly notBefore: string;
    readonly notAfter: string;
    readonly source: 'token' | 'external';
  } | null;
  readonly certificateCount: number;
  /** Exact DER of the signer's certificate and of every certificate the token carries. */
  readonly signerDer: Uint8Array | null;
  readonly certificates: readonly Uint8Array[];
  readonly signatureValid: boolean;
  /** Why the token cannot be relied on; empty when the token itself is sound. */
  readonly problems: readonly string[];
};

/** Whether a file matches a token: its digest equals the imprint AND the token itself is sound. */
export type ImprintVerdict = {
  readonly valid: boolean;
  readonly hashMatch: boolean;
  readonly message: string;
};

/** `verify <file> --tsr`: the token, the verdict on the file, and the TSA's path to a trust anchor. */
export type TokenVerification = {
  readonly report: TokenReport;
  readonly verdict: ImprintVerdict;
  readonly fileHashHex: string | null;
  /** The TSA certificate's path to a trust anchor at genTime; `not_checked` without anchors. */
  readonly trust: ChainResult;
  /** What made the TSA trusted (an explicit anchor, the EU trusted lists), when it is. */
  readonly trustSource?: TrustSource | null;
  /** What the EU trusted lists say of the TSA at genTime (absent or null: no lists loaded). */
  readonly qualification?: Qualification | null;
  /** ETSI EN 319 102-1 outcome, as for signatures: TOTAL-PASSED only with the TSA chained to a trust anchor. */
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  /** Why it is not TOTAL-PASSED, most serious first. */
  readonly reasons: readonly string[];
};
