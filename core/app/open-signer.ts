// Which key seals, as plain data (no argv, no IPC): a certificate of the ledger, the default seal, a PKCS#12 file,
// a PKCS#8 key with its chain, a PKCS#11 token key or a KMS key; opened once for a batch and closed by the caller.
// A secret that is needed and not given is asked through `ask` (the CLI's terminal or environment), never stored.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePemCertificates } from '../asn1/certificate.js';
import { registerCertificate, registerPkcs11 } from '../certificates/register.js';
import { CoreError, InputError } from '../errors.js';
import { describeFsError } from '../hash/hash-file.js';
import { getCertificate, listCertificates, type CertificateRecord, type Ledger } from '../ledger/index.js';
import {
  defaultSeal,
  defaultSealPaths,
  keySignerFromFile,
  signerForRecord,
  signerFromPkcs12,
  type Signer,
} from '../signers/index.js';
import type { KmsKeyRef } from '../signers/kms/index.js';

export type SignerSpec =
  | { readonly kind: 'default'; readonly passphrase?: string }
  | {
      readonly kind: 'certificate';
      readonly id: string;
      readonly password?: string;
      readonly pin?: string;
      readonly passphrase?: string;
    }
  | { readonly kind: 'p12'; readonly path: string; readonly password?: string }
  | { readonly kind: 'key'; readonly keyPath: string; readonly chainPath: string; readonly password?: string }
  | {
      readonly kind: 'pkcs11';
      readonly module: string;
      readonly token: string;
      readonly key: string;
      readonly pin?: string;
    }
  | { readonly kind: 'kms'; readonly keyId: string; readonly region?: string; readonly endpoint?: string };

/** A secret the spec lacks: 'pin' and 'password' are required (the asker throws or answers), 'passphrase' optional. */
export type SecretNeed = { readonly kind: 'pin' | 'password' | 'passphrase'; readonly what: string };
export type AskSecret = (need: SecretNeed) => Promise<string | undefined>;

export type OpenSignerContext = {
  readonly db: Ledger;
  readonly home: string;
  readonly ask?: AskSecret;
  readonly now?: () => Date;
};
export type OpenedSigner = { readonly signer: Signer; readonly certificate: CertificateRecord };

export async function openSigner(c: OpenSignerContext, spec: SignerSpec): Promise<OpenedSigner> {
  switch (spec.kind) {
    case 'pkcs11': {
      const ref = { module: resolve(spec.module), token: spec.token, key: spec.key };
      // Loaded here only: the native PKCS#11 binding costs a key-file seal ~20 ms of start-up (issue 15).
      const { Pkcs11Signer } = await import('../signers/pkcs11/index.js');
      const signer = Pkcs11Signer.open(ref, spec.pin ?? (await required(c, 'pin', 'the token PIN')));
      return { signer, certificate: registerPkcs11(c.db, ref, signer.chain) };
    }
    case 'kms':
      return kmsSigner(c.db, spec);
    case 'p12': {
      const path = resolve(spec.path);
      const password = spec.password ?? (await required(c, 'password', 'the PKCS#12 password'));
      const signer = await signerFromPkcs12(readInput(path, 'PKCS#12 file'), password);
      return { signer, certificate: registerCertificate(c.db, 'file', JSON.stringify({ p12: path }), signer.chain) };
    }
    case 'key':
      return fileSigner(c.db, resolve(spec.keyPath), resolve(spec.chainPath), spec.password);
    case 'certificate':
      return recordSigner(c, spec);
    case 'default':
      return defaultSeal(c.db, {
        home: c.home,
        passphrase: spec.passphrase ?? (await askIfLocked(c)),
        now: c.now?.() ?? new Date(),
      });
  }
}

async function recordSigner(
  c: OpenSignerContext,
  spec: Extract<SignerSpec, { kind: 'certificate' }>,
): Promise<OpenedSigner> {
  const record = getCertificate(c.db, spec.id);
  if (!record) throw new CoreError('CERT_NOT_FOUND', `no certificate ${spec.id}: see \`sealdesk cert list\``);
  const p12 = record.kind === 'file' && record.keyRef.startsWith('{');
  const secrets = {
    password: p12 ? (spec.password ?? (await required(c, 'password', 'the PKCS#12 password'))) : spec.password,
    pin: record.kind === 'pkcs11' ? (spec.pin ?? (await required(c, 'pin', 'the token PIN'))) : undefined,
    passphrase: spec.passphrase,
  };
  return { signer: await signerForRecord(c.db, record, { ...secrets, home: c.home }), certificate: record };
}

/** A secret the key cannot open without: the asker's answer, else PIN_REQUIRED / KEY_LOCKED. */
async function required(c: OpenSignerContext, kind: 'pin' | 'password', what: string): Promise<string> {
  const answer = await c.ask?.({ kind, what });
  if (answer !== undefined) return answer;
  throw new CoreError(kind === 'pin' ? 'PIN_REQUIRED' : 'KEY_LOCKED', `${what} is needed (it is never stored)`);
}

/** An encrypted default seal: ask for its passphrase instead of failing (when someone can be asked). */
async function askIfLocked(c: OpenSignerContext): Promise<string | undefined> {
  const key = defaultSealPaths(c.home).key;
  if (!c.ask || !existsSync(key) || !readFileSync(key, 'utf8').includes('ENCRYPTED')) return undefined;
  return c.ask({ kind: 'passphrase', what: 'the passphrase of the default seal' });
}

async function kmsSigner(db: Ledger, spec: Extract<SignerSpec, { kind: 'kms' }>): Promise<OpenedSigner> {
  const isKey = (c: CertificateRecord) =>
    c.kind === 'kms' && c.status === 'active' && sameKmsKey((JSON.parse(c.keyRef) as KmsKeyRef).keyId, spec.keyId);
  const record = listCertificates(db).find(isKey);
  if (!record)
    throw new CoreError(
      'CERT_NOT_FOUND',
      `no active certificate for KMS key ${spec.keyId}: ` +
        '`sealdesk cert provision --signer kms`, then `cert activate`',
    );
  const ref = {
    ...(JSON.parse(record.keyRef) as KmsKeyRef),
    ...(spec.region ? { region: spec.region } : {}),
    ...(spec.endpoint ? { endpoint: spec.endpoint } : {}),
  };
  // The AWS SDK loads only when a KMS key is used: it costs every other command a tenth of a second at start-up.
  const { KmsSigner } = await import('../signers/kms/index.js');
  return { signer: await KmsSigner.open(ref, record.chain), certificate: record };
}

/** A KMS key named by id or by ARN (…:key/<id>) is the same key. */
function sameKmsKey(a: string, b: string): boolean {
  const id = (s: string) => s.split('/').pop();
  return a === b || id(a) === id(b);
}

function fileSigner(db: Ledger, keyPath: string, chainPath: string, password: string | undefined): OpenedSigner {
  const chain = parsePemCertificates(Buffer.from(readInput(chainPath, 'certificate chain')).toString('utf8'));
  if (chain.length === 0) throw new CoreError('CERT_NOT_FOUND', `${chainPath} holds no certificate`);
  const signer = keySignerFromFile(keyPath, chain, password);
  return { signer, certificate: registerCertificate(db, 'file', keyPath, chain) };
}

function readInput(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    const why = describeFsError(err as NodeJS.ErrnoException);
    throw new InputError('INPUT_UNREADABLE', `cannot read ${what} ${path}: ${why}`, { cause: err });
  }
}
