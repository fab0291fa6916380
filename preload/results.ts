// What the IPC contract (preload/api.ts) carries back beyond plain lists: errors with a stable code and structured
// details, the verify results as a union on `kind` over core/model's reports, inspect's token, each job kind's
// results. Types only, from core as `import type`: the sandboxed preload bundles none of it.
import type { ErrorCode, TsaErrorClass } from '../core/errors.js';
import type { CadesReport, PdfReport, TokenReport, TokenVerification } from '../core/model/index.js';

export type {
  CadesReport,
  CertificateReport,
  Change,
  Indication,
  PdfReport,
  SignatureReport,
  SubIndication,
  TimestampReport,
  TokenReport,
  TokenVerification,
} from '../core/model/index.js';

/** Codes only main and its dispatch give (never core): a refused sender or request, a channel or capability unknown. */
export type MainErrorCode =
  | 'FORBIDDEN_SENDER'
  | 'BAD_REQUEST'
  | 'NO_CHANNEL'
  | 'INTERNAL'
  | 'HOST_STOPPED'
  | 'CAPABILITY_UNKNOWN'
  | 'CAPABILITY_REFUSED'
  | 'RESTAMP_FAILED';

/** Every code a renderer can match: core's (core/errors.ts) and main's. */
export type ApiErrorCode = ErrorCode | MainErrorCode;

/** One TSA's failed attempt in an all-TSAs-failed stamp or seal (ALL_TSAS_FAILED). */
export type TsaFailureDetail = {
  readonly slug: string;
  readonly name: string;
  readonly errorClass: TsaErrorClass;
  readonly message: string;
};

/** Structured data beside the message: today the per-TSA failures of ALL_TSAS_FAILED. */
export type ApiErrorDetails = { readonly tsas: readonly TsaFailureDetail[] };

export type ApiError = { readonly code: ApiErrorCode; readonly message: string; readonly details?: ApiErrorDetails };
/** A failure of one item of a batch (a file not stamped, sealed or verified): as an ApiError. */
export type ItemError = ApiError;

type Verified<K extends string, R> = {
  readonly file: string;
  readonly kind: K;
  readonly report: R;
  readonly error?: undefined;
};

/** One verified document, by what was given: a PDF alone, a file with its .p7s or .tsr, an enveloping .p7m. */
export type VerifyItem =
  | Verified<'pdf', PdfReport>
  | Verified<'p7s', CadesReport>
  | Verified<'tsr', TokenVerification>
  | Verified<'p7m', CadesReport>
  | { readonly file: string; readonly kind?: undefined; readonly report?: undefined; readonly error: ItemError };

export type VerifiedKind = NonNullable<VerifyItem['kind']>;

/** `inspect:token`: the token report, its certificates as base64 DER (for "save the TSA certificate"). */
export type InspectedToken = Omit<TokenReport, 'signerDer' | 'certificates'> & {
  readonly signerDer: string | null;
  readonly certificates: readonly string[];
};
