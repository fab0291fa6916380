// The default seal: a local ECDSA P-256 key and self-signed certificate, made on first use, readable by the user alone.
import { createHash, createPrivateKey, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { x509 } from '../asn1/x509.js';
import { parsePemCertificates, certificateFacts } from '../asn1/certificate.js';
import { CoreError } from '../errors.js';
import { replaceOwnFile, writeNewFile } from '../fs/atomic.js';
import { defaultCertificate, insertCertificate, type CertificateRecord } from '../ledger/certificates.js';
import type { Ledger } from '../ledger/open.js';
import { KeySigner } from './key-signer.js';

export type DefaultSealOptions = {
  readonly home: string;
  /** Protects the key file when it is created, and unlocks it afterwards. Never stored. */
  readonly passphrase?: string;
  readonly now: Date;
};

export function defaultSealPaths(home: string): { dir: string; key: string; cert: string } {
  const dir = join(home, 'keys');
  return { dir, key: join(dir, 'default-seal.key.pem'), cert: join(dir, 'default-seal.cert.pem') };
}

/** Loads the default seal, creating it (key, certificate, ledger entry) the first time. */
export async function defaultSeal(db: Ledger, o: DefaultSealOptions): Promise<{ signer: KeySigner; certificate: CertificateRecord; created: boolean }> {
  const paths = defaultSealPaths(o.home);
  const created = !existsSync(paths.key);
  if (created) await createDefaultSeal(paths, o);
  const chain = parsePemCertificates(readFileSync(paths.cert, 'utf8'));
  const signer = new KeySigner(unlock(readFileSync(paths.key), o.passphrase), chain);
  const certificate = defaultCertificate(db) ?? register(db, chain[0]!, paths.key, o.now);
  return { signer, certificate, created };
}

/** Whether the default seal exists here and whether its key file is passphrase-protected. */
export function defaultSealState(home: string): { exists: boolean; protected: boolean } {
  const { key } = defaultSealPaths(home);
  if (!existsSync(key)) return { exists: false, protected: false };
  return { exists: true, protected: readFileSync(key).includes('ENCRYPTED PRIVATE KEY') };
}

/** Protects the default seal's key with a new passphrase (or removes it), atomically; the current one unlocks it. */
export async function setDefaultSealPassphrase(home: string, next: string | undefined, current?: string): Promise<void> {
  const { key: path } = defaultSealPaths(home);
  if (!existsSync(path)) throw new CoreError('KEY_NOT_FOUND', 'there is no default seal yet: it is made on first use');
  const before = readFileSync(path);
  const key = unlock(before, current);
  const pem = next ? key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: next }) : key.export({ type: 'pkcs8', format: 'pem' });
  await replaceOwnFile(path, Buffer.from(pem), createHash('sha256').update(before).digest('hex'), 0o600);
}

function unlock(pem: Buffer, passphrase: string | undefined) {
  const encrypted = pem.includes('ENCRYPTED PRIVATE KEY');
  if (encrypted && !passphrase) throw new CoreError('KEY_LOCKED', 'the default seal is protected by a passphrase: give it with --passphrase-env VAR (or at the prompt)');
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase: encrypted ? passphrase : undefined });
  } catch (err) {
    throw new CoreError('PASSPHRASE_INCORRECT', 'the passphrase does not unlock the default seal', { cause: err });
  }
}

async function createDefaultSeal(paths: { dir: string; key: string; cert: string }, o: DefaultSealOptions): Promise<void> {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const who = `${safeUser()}@${hostname()}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: `01${randomBytes(15).toString('hex')}`,
      name: [{ CN: [`Sealdesk local seal — ${who}`] }, { O: ['Sealdesk local seal'] }],
      notBefore: new Date(o.now.getTime() - 60_000),
      notAfter: new Date(Date.UTC(o.now.getUTCFullYear() + 10, o.now.getUTCMonth(), o.now.getUTCDate())),
      signingAlgorithm: alg,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    },
    webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const pem = o.passphrase
    ? key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: o.passphrase })
    : key.export({ type: 'pkcs8', format: 'pem' });
  await writeNewFile(paths.key, Buffer.from(pem), 0o600);
  await writeNewFile(paths.cert, Buffer.from(cert.toString('pem') + '\n'));
}

function register(db: Ledger, leaf: Uint8Array, keyPath: string, now: Date): CertificateRecord {
  const f = certificateFacts(leaf);
  return insertCertificate(db, {
    id: randomUUID(), label: 'Default seal', status: 'active', source: 'local', kind: 'default', keyRef: keyPath,
    subject: f.subject, notBefore: f.notBefore.toISOString(), notAfter: f.notAfter.toISOString(), chain: [leaf], createdAt: now.toISOString(),
  });
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}
