// The plain facts every verification report is built from: certificate trust, revocation, QC statements, the changes
// made after a PDF signature, a TSA's status. Types only, structured-clone safe, importable by the renderer.
export type { QcStatements } from '../asn1/qc.js';

/** The seed's trust vocabulary for a signer certificate. */
export type Trust = 'chained' | 'dev_ca' | 'self_signed' | 'untrusted';

/** A certificate path to a trust anchor: found, not found, or not looked for (no anchors given). */
export type TrustStatus = 'chained' | 'untrusted' | 'not_checked';

export type ChainResult = {
  readonly status: TrustStatus;
  /** Subjects from the leaf to the anchor, when a path was found. */
  readonly path: readonly string[];
  readonly message: string;
};

export type RevocationFinding = {
  readonly subject: string;
  /** no-source: the certificate names none (does not block); missing: it names one but no usable data is at hand. */
  readonly status: 'good' | 'revoked' | 'no-source' | 'missing';
  readonly source: 'dss' | 'cms' | 'ledger' | 'online' | null;
  readonly detail: string;
  readonly revokedAt: string | null;
};

export type ChangeKind =
  | 'dss'
  | 'document-timestamp'
  | 'signature'
  | 'form-fill'
  | 'annotation'
  | 'metadata'
  | 'other'
  /** The change could not be judged (unreadable, or read only after repairs): INDETERMINATE, never a pass. */
  | 'unclassified';

/** One change a later revision made to a signed PDF, and whether the signature's rules allow it. */
export type Change = {
  readonly object: number | null;
  readonly kind: ChangeKind;
  readonly allowed: boolean;
  readonly detail: string;
};

/** RFC 3161 PKIStatusInfo of a time-stamp response. */
export type PkiStatusInfo = {
  /** 0 granted, 1 grantedWithMods, 2 rejection, 3 waiting, 4 revocationWarning, 5 revocationNotification. */
  readonly status: number;
  readonly statusText: string;
  readonly statusStrings: readonly string[];
  readonly failInfo: readonly string[];
};
