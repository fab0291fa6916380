// Which key seals, from the flags: --cert <id>, --key/--chain, --p12, --pkcs11-module/--token/--key, --kms-key-id, or
// the default seal; the flags become a SignerSpec and core/app/open-signer opens it (the desktop opens the same way).
import { resolve } from 'node:path';
import { openSigner, type AskSecret, type OpenedSigner, type SignerSpec } from '../core/app/open-signer.js';
import { CoreError, UsageError } from '../core/errors.js';
import type { Ledger } from '../core/ledger/index.js';
import type { Pkcs11KeyRef } from '../core/signers/pkcs11/index.js';
import { homeDir } from './context.js';
import type { CliIo } from './io.js';

export const SIGNER_OPTIONS = {
  cert: { type: 'string' },
  key: { type: 'string' },
  chain: { type: 'string' },
  'password-env': { type: 'string' },
  'passphrase-env': { type: 'string' },
  'pkcs11-module': { type: 'string' },
  token: { type: 'string' },
  'pin-env': { type: 'string' },
  p12: { type: 'string' },
  'kms-key-id': { type: 'string' },
  'kms-region': { type: 'string' },
  'kms-endpoint': { type: 'string' },
} as const;

type Values = {
  'kms-key-id'?: string;
  'kms-region'?: string;
  'kms-endpoint'?: string;
  p12?: string;
  cert?: string;
  key?: string;
  chain?: string;
  'password-env'?: string;
  'passphrase-env'?: string;
  'pkcs11-module'?: string;
  token?: string;
  'pin-env'?: string;
};

/** Reads a secret from the environment variable the user named; never from a file, never logged. */
export function secretFrom(io: CliIo, name: string | undefined, what: string): string | undefined {
  if (!name) return undefined;
  const value = io.env[name];
  if (value === undefined) throw new UsageError(`the environment variable ${name} (${what}) is not set`);
  return value;
}

/** The secret from --*-env, else asked at the terminal, else a clear error: it is used once and never stored. */
export async function requiredSecret(
  io: CliIo,
  envName: string | undefined,
  what: string,
  code: 'PIN_REQUIRED' | 'KEY_LOCKED',
  flag: string,
): Promise<string> {
  const fromEnv = secretFrom(io, envName, what);
  if (fromEnv !== undefined) return fromEnv;
  if (io.askSecret) return io.askSecret(`${what[0]!.toUpperCase()}${what.slice(1)}: `);
  throw new CoreError(code, `${what} is needed: give it with ${flag} VAR (it is never stored)`);
}

/** The signer the flags name, as plain data for core/app/open-signer (secrets given by --*-env read here). */
export function signerSpec(io: CliIo, v: Values): SignerSpec {
  const secret = (name: string | undefined, what = 'a password') => secretFrom(io, name, what);
  const pin = () => secret(v['pin-env'], 'the token PIN');
  if (v['pkcs11-module'] || v.token) return { kind: 'pkcs11', ...pkcs11Ref(v), pin: pin() };
  const kms = v['kms-key-id'];
  if (kms) return { kind: 'kms', keyId: kms, region: v['kms-region'], endpoint: v['kms-endpoint'] };
  if (v.p12) return { kind: 'p12', path: v.p12, password: secret(v['password-env'], 'the PKCS#12 password') };
  if (v.key || v.chain) {
    if (!v.key || !v.chain)
      throw new UsageError(
        '--key and --chain go together (with --pkcs11-module, --key names the key on the token): a PKCS#8 key file and its certificate chain (PEM, signer first)',
      );
    return { kind: 'key', keyPath: v.key, chainPath: v.chain, password: secret(v['password-env']) };
  }
  const passphrase = secret(v['passphrase-env']);
  if (v.cert) return { kind: 'certificate', id: v.cert, password: secret(v['password-env']), pin: pin(), passphrase };
  return { kind: 'default', passphrase };
}

/** A secret the key needs and the flags did not give: asked at the terminal, else the error naming the flag. */
export function askAtTerminal(io: CliIo): AskSecret {
  return async (need) => {
    if (need.kind === 'passphrase') return io.askSecret?.('Passphrase of the default seal: ');
    const pin = need.kind === 'pin';
    const [code, flag] = pin ? (['PIN_REQUIRED', '--pin-env'] as const) : (['KEY_LOCKED', '--password-env'] as const);
    return requiredSecret(io, undefined, need.what, code, flag);
  };
}

export function resolveSigner(db: Ledger, io: CliIo, v: Values): Promise<OpenedSigner> {
  return openSigner({ db, home: homeDir(io), ask: askAtTerminal(io) }, signerSpec(io, v));
}

export function pkcs11Ref(v: Values): Pkcs11KeyRef {
  if (!v['pkcs11-module'] || !v.token || !v.key)
    throw new UsageError('a PKCS#11 key needs --pkcs11-module <module.so> --token <label> --key <label | id:hex>');
  return { module: resolve(v['pkcs11-module']), token: v.token, key: v.key };
}
