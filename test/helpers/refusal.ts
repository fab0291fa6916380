// The CoreError a call is refused with: anything else (another error, or no error at all) fails the test.
import { CoreError } from '../../core/errors.js';

export function refusal(run: () => unknown): CoreError {
  try {
    run();
  } catch (err) {
    if (err instanceof CoreError) return err;
    throw err;
  }
  throw new Error('expected a CoreError, nothing was thrown');
}
