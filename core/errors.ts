// Stable, typed errors: every failure Sealdesk reports carries a string `code` scripts can match.

export type ErrorCode =
  | 'USAGE'
  | 'INPUT_UNREADABLE'
  | 'OUTPUT_EXISTS'
  | 'OUTPUT_UNWRITABLE'
  | 'NOT_FOUND'
  | 'TSA_UNKNOWN'
  | 'TSA_EXISTS'
  | 'TSA_NO_URL'
  | 'TSA_NONE_ENABLED'
  | 'TSA_FAILED'
  | 'ALL_TSAS_FAILED'
  | 'TOKEN_MALFORMED'
  | 'TOKEN_REJECTED'
  | 'DB_FROM_FUTURE'
  | 'DB_CORRUPT'
  | 'KEY_UNSUPPORTED'
  | 'KEY_LOCKED'
  | 'PASSPHRASE_INCORRECT'
  | 'CERT_NOT_FOUND'
  | 'CERT_NOT_VALID'
  | 'CMS_MALFORMED'
  | 'PDF_NOT_SUPPORTED'
  | 'OUTPUT_CHANGED'
  | 'PKCS11_MODULE'
  | 'PKCS11_ERROR'
  | 'PIN_INCORRECT'
  | 'PIN_LOCKED'
  | 'PIN_EXPIRED'
  | 'PIN_REQUIRED'
  | 'TOKEN_NOT_PRESENT'
  | 'KEY_NOT_FOUND'
  | 'CERT_MISMATCH'
  | 'KMS_ACCESS'
  | 'KMS_ERROR'
  | 'CERT_MALFORMED'
  | 'PDF_MALFORMED'
  | 'PDF_ENCRYPTED'
  | 'PDF_CERTIFIED_NO_CHANGES'
  | 'PDF_PAGE_NOT_FOUND'
  | 'NO_SIGNATURE_FOUND'
  | 'SIGNATURE_BROKEN'
  | 'REVOCATION_UNAVAILABLE'
  | 'CERT_REVOKED'
  | 'CANCELLED'
  | 'NOT_SUPPORTED'
  /** A restamp with --tsa auto: no enabled TSA's certificate would outlast the chain's window (RFC 3161 §4 restamping). */
  | 'NO_TSA_EXTENDS_PROTECTION'
  /** Hostile-input guard: a count, size, depth or work cap was reached before the input could be evaluated. */
  | 'RESOURCE_LIMIT'
  /** Sync: no account is configured (`sealdesk account login`). */
  | 'ACCOUNT_NONE'
  /** Sync: the server cannot be reached; the work stays queued (exit 4). */
  | 'OFFLINE'
  /** Sync: the server refused the credential (401): sign in again; nothing queued is dropped. */
  | 'AUTH_REQUIRED'
  /** Sync: the server answered with a refusal that a retry will not change (4xx other than 401/408/429). */
  | 'REMOTE_REFUSED'
  /** Sync: the server does not offer what this needs (an extension missing from /api/capabilities). */
  | 'REMOTE_UNSUPPORTED'
  /** Trusted lists: none are loaded (`sealdesk tl import` or `tl refresh`). */
  | 'TL_NOT_LOADED'
  /** Trusted lists: a list is not well-formed or not a trusted list. */
  | 'TL_MALFORMED'
  /** Trusted lists: a list's XML signature does not verify against the certificates it must be checked against. */
  | 'TL_SIGNATURE_INVALID'
  /** Qualified stamp asked for, but no enabled TSA is under a granted QTST service in the cached lists. */
  | 'NO_QUALIFIED_TSA';

export class CoreError extends Error {
  override readonly name: string = 'CoreError';
  /** Machine-readable facts about the failure (e.g. REMOTE_REFUSED: the HTTP status and body); never a secret. */
  readonly details?: Readonly<Record<string, unknown>>;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Readonly<Record<string, unknown>> },
  ) {
    super(message, options);
    if (options?.details !== undefined) this.details = options.details;
  }
}

export class UsageError extends CoreError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('USAGE', message);
  }
}

export class InputError extends CoreError {
  override readonly name = 'InputError';
}

export class LedgerError extends CoreError {
  override readonly name = 'LedgerError';
}

/** The remote API's stable failure classes (seed 001, "errorClass values are stable strings"). */
export type TsaErrorClass = 'network' | 'timeout' | 'http_status' | 'parse' | 'unknown';

export class TimestampError extends CoreError {
  override readonly name = 'TimestampError';
  constructor(
    readonly errorClass: TsaErrorClass,
    message: string,
    readonly statusCode: number | null = null,
    options?: { cause?: unknown },
  ) {
    super('TSA_FAILED', message, options);
  }
}

/** One failed attempt, exactly as the seed's 502 body lists it. */
export type TsaFailure = {
  /** The TSA's name (the seed's field), and its slug in the registry. */
  readonly tsa: string;
  readonly slug: string;
  readonly errorClass: TsaErrorClass;
  readonly statusCode: number | null;
  readonly message: string;
  readonly latencyMs: number;
};

/** Every candidate TSA failed; carries the seed's 502 body. */
export class AllTsasFailedError extends CoreError {
  override readonly name = 'AllTsasFailedError';
  constructor(readonly failures: readonly TsaFailure[]) {
    super('ALL_TSAS_FAILED', 'All enabled TSAs failed.');
  }
  get attemptsTried(): number {
    return this.failures.length;
  }
  /** True when nothing answered at all: the machine is most likely offline. */
  get offline(): boolean {
    return this.failures.length > 0 && this.failures.every((f) => f.errorClass === 'network');
  }
  body(): { message: string; attemptsTried: number; failures: readonly TsaFailure[] } {
    return { message: this.message, attemptsTried: this.attemptsTried, failures: this.failures };
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
