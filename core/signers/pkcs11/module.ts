// PKCS#11 2.40 module lifecycle (load, initialize, finalize on every path) and errors a person understands.
import pkcs11js from 'pkcs11js'; // the CommonJS module itself: a namespace import misses its constants under Node's ESM
import { CoreError, type ErrorCode } from '../../errors.js';

export type Pkcs11 = pkcs11js.PKCS11;

/** Loads `modulePath`, runs `fn`, and always finalizes and unloads. */
export async function withModule<T>(modulePath: string, fn: (p: Pkcs11) => Promise<T> | T): Promise<T> {
  const p = openModule(modulePath);
  try {
    return await fn(p);
  } finally {
    closeModule(p);
  }
}

export function openModule(modulePath: string): Pkcs11 {
  const p = new pkcs11js.PKCS11();
  try {
    p.load(modulePath);
  } catch (err) {
    throw new CoreError('PKCS11_MODULE', `cannot load the PKCS#11 module ${modulePath}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    p.C_Initialize();
  } catch (err) {
    p.close();
    throw mapPkcs11Error(err, 'initialising the module');
  }
  return p;
}

export function closeModule(p: Pkcs11): void {
  try {
    p.C_Finalize();
  } catch {
    // already finalized
  }
  p.close();
}

const CODES: Record<string, [ErrorCode, string]> = {
  CKR_PIN_INCORRECT: ['PIN_INCORRECT', 'the PIN is incorrect'],
  CKR_PIN_LOCKED: [
    'PIN_LOCKED',
    'the PIN is locked after too many wrong tries: unlock the token with its PUK or SO PIN',
  ],
  CKR_PIN_EXPIRED: ['PIN_EXPIRED', "the PIN has expired: change it with the token's own tool"],
  CKR_PIN_LEN_RANGE: ['PIN_INCORRECT', 'the PIN has the wrong length for this token'],
  CKR_TOKEN_NOT_PRESENT: ['TOKEN_NOT_PRESENT', 'the token is not present: insert the card or connect the HSM'],
  CKR_DEVICE_REMOVED: ['TOKEN_NOT_PRESENT', 'the token was removed'],
  CKR_USER_NOT_LOGGED_IN: ['PIN_REQUIRED', 'the token needs a PIN for this'],
  CKR_KEY_FUNCTION_NOT_PERMITTED: ['KEY_UNSUPPORTED', 'the key may not be used for signing'],
  CKR_MECHANISM_INVALID: ['KEY_UNSUPPORTED', 'the token does not support this signature mechanism'],
};

export function mapPkcs11Error(err: unknown, doing: string): CoreError {
  if (err instanceof CoreError) return err;
  const message = (err as Error).message ?? String(err);
  const name = message.match(/CKR_[A-Z_]+/)?.[0];
  const known = name ? CODES[name] : undefined;
  if (known) return new CoreError(known[0], `${known[1]} (${doing})`, { cause: err });
  return new CoreError('PKCS11_ERROR', `the token failed while ${doing}: ${name ?? message}`, { cause: err });
}
