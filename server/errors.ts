// HTTP errors with the seed's bodies (`{"message": …}`), and core's stable codes mapped to status codes.
import { AllTsasFailedError, CoreError, type ErrorCode } from '../core/errors.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly body: Record<string, unknown> = { message },
  ) {
    super(message);
  }
}

export const notFound = (what = 'not found') => new HttpError(404, what);
export const badRequest = (message: string) => new HttpError(400, message);

const STATUS: Partial<Record<ErrorCode, number>> = {
  USAGE: 400,
  INPUT_UNREADABLE: 400,
  TOKEN_MALFORMED: 400,
  CMS_MALFORMED: 400,
  PDF_MALFORMED: 400,
  PDF_ENCRYPTED: 400,
  PDF_NOT_SUPPORTED: 400,
  CERT_MALFORMED: 400,
  CERT_MISMATCH: 400,
  RESOURCE_LIMIT: 413,
  NOT_FOUND: 404,
  CERT_NOT_FOUND: 404,
  TSA_UNKNOWN: 400,
  TSA_NO_URL: 400,
  TSA_NONE_ENABLED: 400,
  ALL_TSAS_FAILED: 502,
  TSA_FAILED: 502,
};

/** The status and body a thrown error becomes; anything unknown is a 500 without internals. */
export function toHttp(err: unknown): { status: number; body: Record<string, unknown> } {
  if (err instanceof HttpError) return { status: err.statusCode, body: err.body };
  if (err instanceof AllTsasFailedError) {
    const b = err.body();
    return { status: 502, body: { ...b, failures: b.failures.map(({ slug: _slug, ...f }) => f) } };
  }
  if (err instanceof CoreError)
    return { status: STATUS[err.code] ?? 422, body: { message: err.message, code: err.code } };
  return { status: 500, body: { message: 'internal error' } };
}
