// Which key seals: --cert <id>, --key/--chain (a PKCS#8 file and its chain), or the default seal.
import { resolve } from 'node:path';
import { parsePemCertificates } from '../core/asn1/certificate.js';
import { CoreError, UsageError } from '../core/errors.js';
import { getCertificate, listCertificates, type CertificateRecord, type Ledger } from '../core/ledger/index.js';
import { registerCertificate, registerPkcs11 } from '../core/certificates/register.js';
import { defaultSeal, defaultSealPaths, keySignerFromFile, signerForRecord, signerFromPkcs12, type Signer } from '../core/signers/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { Pkcs11Signer, type Pkcs11KeyRef } from '../core/signers/pkcs11/index.js';
import type { KmsKeyRef } from '../core/signers/kms/index.js';
import { readInput } from './commands/token-input.js';
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

type Values = { 'kms-key-id'?: string; 'kms-region'?: string; 'kms-endpoint'?: string; p12?: string; cert?: string; key?: string; chain?: string; 'password-env'?: string; 'passphrase-env'?: string; 'pkcs11-module'?: string; token?: string; 'pin-env'?: string };

/** Reads a secret from the environment variable the user named; never from a file, never logged. */
export function secretFrom(io: CliIo, name: string | undefined, what: string): string | undefined {
  if (!name) return undefined;
  const value = io.env[name];
  if (value === undefined) throw new UsageError(`the environment variable ${name} (${what}) is not set`);
  return value;
}

/** The secret from --*-env, else asked at the terminal, else a clear error: it is used once and never stored. */
export async function requiredSecret(io: CliIo, envName: string | undefined, what: string, code: 'PIN_REQUIRED' | 'KEY_LOCKED', flag: string): Promise<string> {
  const fromEnv = secretFrom(io, envName, what);
  if (fromEnv !== undefined) return fromEnv;
  if (io.askSecret) return io.askSecret(`${what[0]!.toUpperCase()}${what.slice(1)}: `);
  throw new CoreError(code, `${what} is needed: give it with ${flag} VAR (it is never stored)`);
}

function pin(io: CliIo, v: Values): Promise<string> {
  return requiredSecret(io, v['pin-env'], 'the token PIN', 'PIN_REQUIRED', '--pin-env');
}

export async function resolveSigner(db: Ledger, io: CliIo, v: Values): Promise<{ signer: Signer; certificate: CertificateRecord }> {
  const secret = (name: string | undefined) => secretFrom(io, name, 'a password');
  if (v['pkcs11-module'] || v.token) {
    const ref = pkcs11Ref(v);
    const signer = Pkcs11Signer.open(ref, await pin(io, v));
    return { signer, certificate: registerPkcs11(db, ref, signer.chain) };
  }
  if (v['kms-key-id']) {
    const keyId = v['kms-key-id'];
    const record = listCertificates(db).find((c) => c.kind === 'kms' && c.status === 'active' && sameKmsKey((JSON.parse(c.keyRef) as KmsKeyRef).keyId, keyId));
    if (!record) throw new CoreError('CERT_NOT_FOUND', `no active certificate for KMS key ${keyId}: \`sealdesk cert provision --signer kms\`, then \`cert activate\``);
    const ref = { ...(JSON.parse(record.keyRef) as KmsKeyRef), ...(v['kms-region'] ? { region: v['kms-region'] } : {}), ...(v['kms-endpoint'] ? { endpoint: v['kms-endpoint'] } : {}) };
    return { signer: await openKms(ref, record.chain), certificate: record };
  }
  if (v.p12) {
    const path = resolve(v.p12);
    const signer = await signerFromPkcs12(readInput(path, 'PKCS#12 file'), await requirePassword(io, v));
    return { signer, certificate: registerCertificate(db, 'file', JSON.stringify({ p12: path }), signer.chain) };
  }
  if (v.key || v.chain) {
    if (!v.key || !v.chain) throw new UsageError('--key and --chain go together (with --pkcs11-module, --key names the key on the token): a PKCS#8 key file and its certificate chain (PEM, signer first)');
    return fileSigner(db, resolve(v.key), resolve(v.chain), secret(v['password-env']));
  }
  if (v.cert) {
    const record = getCertificate(db, v.cert);
    if (!record) throw new CoreError('CERT_NOT_FOUND', `no certificate ${v.cert}: see \`sealdesk cert list\``);
    const p12 = record.kind === 'file' && record.keyRef.startsWith('{');
    const secrets = {
      password: p12 ? await requirePassword(io, v) : secret(v['password-env']),
      pin: record.kind === 'pkcs11' ? await pin(io, v) : undefined,
      passphrase: secret(v['passphrase-env']),
    };
    return { signer: await signerForRecord(db, record, { ...secrets, home: homeDir(io) }), certificate: record };
  }
  return defaultSeal(db, { home: homeDir(io), passphrase: secret(v['passphrase-env']) ?? (await askIfLocked(io)), now: new Date() });
}

/** An encrypted default seal and a person at the terminal: ask for its passphrase instead of failing. */
async function askIfLocked(io: CliIo): Promise<string | undefined> {
  const key = defaultSealPaths(homeDir(io)).key;
  if (!io.askSecret || !existsSync(key) || !readFileSync(key, 'utf8').includes('ENCRYPTED')) return undefined;
  return io.askSecret('Passphrase of the default seal: ');
}

/** A KMS key named by id or by ARN (…:key/<id>) is the same key. */
function sameKmsKey(a: string, b: string): boolean {
  const id = (s: string) => s.split('/').pop();
  return a === b || id(a) === id(b);
}

export function pkcs11Ref(v: Values): Pkcs11KeyRef {
  if (!v['pkcs11-module'] || !v.token || !v.key) throw new UsageError('a PKCS#11 key needs --pkcs11-module <module.so> --token <label> --key <label | id:hex>');
  return { module: resolve(v['pkcs11-module']), token: v.token, key: v.key };
}

function fileSigner(db: Ledger, keyPath: string, chainPath: string, password: string | undefined): { signer: Signer; certificate: CertificateRecord } {
  const chain = parsePemCertificates(Buffer.from(readInput(chainPath, 'certificate chain')).toString('utf8'));
  if (chain.length === 0) throw new CoreError('CERT_NOT_FOUND', `${chainPath} holds no certificate`);
  const signer = keySignerFromFile(keyPath, chain, password);
  return { signer, certificate: registerCertificate(db, 'file', keyPath, chain) };
}

function requirePassword(io: CliIo, v: Values): Promise<string> {
  return requiredSecret(io, v['password-env'], 'the PKCS#12 password', 'KEY_LOCKED', '--password-env');
}

/** The AWS SDK loads only when a KMS key is used: it costs every other command a tenth of a second at start-up. */
async function openKms(ref: KmsKeyRef, chain: readonly Uint8Array[]): Promise<Signer> {
  const { KmsSigner } = await import('../core/signers/kms/index.js');
  return KmsSigner.open(ref, chain);
}
