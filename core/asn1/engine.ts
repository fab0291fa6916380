// The pkijs crypto engine, passed explicitly (never set process-wide) so callers can substitute one.
import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';

export type CryptoEngine = pkijs.ICryptoEngine;

let defaultEngine: pkijs.CryptoEngine | undefined;

export function nodeCryptoEngine(): CryptoEngine {
  defaultEngine ??= new pkijs.CryptoEngine({
    name: 'node-webcrypto',
    crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'],
  });
  return defaultEngine;
}
