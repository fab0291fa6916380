// Core errors as the plain {code, message} the renderer receives.
import { CoreError, errorMessage } from '../core/errors.js';
import type { ApiError } from '../preload/api.js';

export function toApiError(err: unknown): ApiError {
  if (err instanceof CoreError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: errorMessage(err) };
}
