// Errors as the plain ApiError the renderer receives: a stable code, the message, and structured details where a
// person needs more than one line (the per-TSA failures of an all-TSAs-failed stamp or seal).
import { AllTsasFailedError, CoreError, errorMessage, type ErrorCode } from '../core/errors.js';
import type { ApiError, ApiErrorDetails } from '../preload/api.js';

/** An error a service raised in the worker host (main/host), as it arrived: passed on unchanged. */
export class HostError extends CoreError {
  constructor(readonly apiError: ApiError) {
    super(apiError.code as ErrorCode, apiError.message);
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof HostError) return err.apiError;
  if (err instanceof AllTsasFailedError) return { code: err.code, message: err.message, details: tsaDetails(err) };
  if (err instanceof CoreError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: errorMessage(err) };
}

function tsaDetails(err: AllTsasFailedError): ApiErrorDetails {
  return {
    tsas: err.failures.map((f) => ({ slug: f.slug, name: f.tsa, errorClass: f.errorClass, message: f.message })),
  };
}
