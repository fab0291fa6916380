// What verifying one PDF shares across its signatures: the file, its revisions, the DSS, trust anchors, the clock.
import type { PdfDocument } from '../../pdf/index.js';
import type { PdfLimits } from '../../pdf/limits.js';
import type { ByteSource } from '../../pdf/source.js';
import type { RevocationContext } from '../../revocation/collect.js';
import type { RevocationItem } from '../../validation/revocation-check.js';
import type { TlContext } from '../../tl/assess.js';

export type VerifyOptions = {
  /** Trust anchors (`--trust`, the trust store): never the OS or web-PKI roots. */
  readonly anchors: readonly Uint8Array[];
  readonly devAnchors?: readonly Uint8Array[];
  /** Validate as of this time instead of now (`--at`). */
  readonly at?: Date;
  readonly now: Date;
  /** Fetch missing revocation data from the network (`--online`); null: offline. */
  readonly online: RevocationContext | null;
  /** The PDF reader's decode budget and object limit (core/pdf/limits.ts); the defaults where absent. */
  readonly pdfLimits?: Partial<PdfLimits>;
  /** The EU trusted lists, when loaded: qualification of every signature and time-stamp, and with `trustEu` trust. */
  readonly tl?: TlContext | null;
};

export type VerifyContext = VerifyOptions & {
  readonly path: string;
  readonly src: ByteSource;
  readonly doc: PdfDocument;
  readonly revisionEnds: readonly number[];
  readonly dssCertificates: readonly Uint8Array[];
  readonly dssRevocation: readonly RevocationItem[];
  /** Valid document time-stamps: the time they prove, and how much of the file they cover. */
  readonly documentTimestamps: { genTime: Date; signedEnd: number }[];
};

/** The validation time: `--at`, else now. */
export const validationTime = (c: VerifyOptions): Date => c.at ?? c.now;
