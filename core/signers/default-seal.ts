// The default seal: a local ECDSA P-256 key and self-signed certificate, made on first use, readable by the user alone.
//
// Written as one unit, provably on POSIX: the key file holds the certificate AND the key (two PEM blocks), written
// whole to a temp in the same folder, fsynced, then published by one link(2) — atomic, and failing with EEXIST rather
// than replacing anything. So the key's name never exists without its certificate, whenever a process is killed.
// default-seal.cert.pem is a copy for OpenSSL and the user, written after; a kill before it leaves a key file that
// still carries its certificate, and the copy is restored at the next load. Two processes creating it at once: link(2)
// lets exactly one win; the other loads the winner's. A key file from before this layout (key alone) whose
// cert.pem is missing — what a kill between the old two writes could leave — gets a new self-signed certificate for
// that same key at load (it is our own self-signed seal: nothing else vouches for it).
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  randomUUID,
  webcrypto,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { parsePemCertificates, certificateFacts } from '../asn1/certificate.js';
import { CoreError } from '../errors.js';
import { replaceOwnFile, writeNewFile } from '../fs/atomic.js';
import { defaultCertificate, insertCertificate, type CertificateRecord } from '../ledger/certificates.js';
import type { Ledger } from '../ledger/open.js';
import { pemEncode } from '../util/pem.js';
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

/** Loads the default seal, creating it (key with its certificate, the certificate's copy, ledger entry) the first time. */
export async function defaultSeal(
  db: Ledger,
  o: DefaultSealOptions,
): Promise<{ signer: KeySigner; certificate: CertificateRecord; created: boolean }> {
  const paths = defaultSealPaths(o.home);
  const created = !existsSync(paths.key) && (await createDefaultSeal(paths, o));
  const pem = readFileSync(paths.key);
  const key = unlock(pem, o.passphrase);
  const chain = await certificateOf(paths, pem, key, o);
  const signer = new KeySigner(key, chain);
  const certificate = defaultCertificate(db) ?? registerOnce(db, chain[0]!, paths.key, o.now);
  return { signer, certificate, created };
}

/** The certificate carried by the key file (its copy restored if missing); a key from before that carries none: its
 * cert.pem, else a new self-signed certificate for it. */
type SealPaths = { dir: string; key: string; cert: string };

async function certificateOf(
  paths: SealPaths,
  keyPem: Buffer,
  key: KeyObject,
  o: DefaultSealOptions,
): Promise<Uint8Array[]> {
  const carried = parsePemCertificates(keyPem.toString('utf8'));
  if (carried.length > 0) {
    if (!existsSync(paths.cert)) {
      await removeOldTemps(paths.dir); // a kill while writing the copy left its temp
      await writeCopy(paths.cert, carried[0]!);
    }
    return carried;
  }
  if (existsSync(paths.cert)) return parsePemCertificates(readFileSync(paths.cert, 'utf8'));
  await writeCopy(paths.cert, await selfSigned(await keyPairOf(key), o.now));
  return parsePemCertificates(readFileSync(paths.cert, 'utf8')); // ours, or another process's for the same key
}

/** The certificate's copy, never over an existing file (another process may have written the same one first). */
async function writeCopy(path: string, der: Uint8Array): Promise<void> {
  await writeNewFile(path, Buffer.from(pemEncode(der))).catch((err: unknown) => {
    if (!(err instanceof CoreError && err.code === 'OUTPUT_EXISTS')) throw err;
  });
}

async function keyPairOf(key: KeyObject): Promise<webcrypto.CryptoKeyPair> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256' };
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  return {
    publicKey: await webcrypto.subtle.importKey('spki', spki, alg, true, ['verify']),
    privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']),
  };
}

/** Whether the default seal exists here and whether its key file is passphrase-protected. */
export function defaultSealState(home: string): { exists: boolean; protected: boolean } {
  const { key } = defaultSealPaths(home);
  if (!existsSync(key)) return { exists: false, protected: false };
  return { exists: true, protected: readFileSync(key).includes('ENCRYPTED PRIVATE KEY') };
}

/** Protects the default seal's key with a new passphrase (or removes it), atomically; the current one unlocks it. */
export async function setDefaultSealPassphrase(
  home: string,
  next: string | undefined,
  current?: string,
): Promise<void> {
  const { key: path } = defaultSealPaths(home);
  if (!existsSync(path)) throw new CoreError('KEY_NOT_FOUND', 'there is no default seal yet: it is made on first use');
  const before = readFileSync(path);
  const key = unlock(before, current);
  const pem = next
    ? key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: next })
    : key.export({ type: 'pkcs8', format: 'pem' });
  // The certificate the key file carries stays with it: still one unit, replaced by one rename.
  const carried = parsePemCertificates(before.toString('utf8'))
    .map((der) => pemEncode(der))
    .join('');
  await replaceOwnFile(
    path,
    Buffer.from(carried + pem.toString()),
    createHash('sha256').update(before).digest('hex'),
    0o600,
  );
}

function unlock(pem: Buffer, passphrase: string | undefined) {
  const encrypted = pem.includes('ENCRYPTED PRIVATE KEY');
  if (encrypted && !passphrase)
    throw new CoreError(
      'KEY_LOCKED',
      'the default seal is protected by a passphrase: give it with --passphrase-env VAR (or at the prompt)',
    );
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase: encrypted ? passphrase : undefined });
  } catch (err) {
    throw new CoreError('PASSPHRASE_INCORRECT', 'the passphrase does not unlock the default seal', { cause: err });
  }
}

/** Makes the key and its certificate and publishes them as one file; false when another process published first. */
async function createDefaultSeal(
  paths: { dir: string; key: string; cert: string },
  o: DefaultSealOptions,
): Promise<boolean> {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  await removeOldTemps(paths.dir); // what a kill during an earlier creation left: never published
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await selfSigned(keys, o.now);
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const pem = o.passphrase
    ? key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: o.passphrase })
    : key.export({ type: 'pkcs8', format: 'pem' });
  try {
    await writeNewFile(paths.key, Buffer.from(pemEncode(cert) + pem.toString()), 0o600);
  } catch (err) {
    if (err instanceof CoreError && err.code === 'OUTPUT_EXISTS') return false; // another process made it first: that one
    throw err;
  }
  await writeCopy(paths.cert, cert);
  return true;
}

async function selfSigned(keys: webcrypto.CryptoKeyPair, now: Date): Promise<Uint8Array> {
  // @peculiar/x509 (and its ASN.1 schema packages) load here only, once per machine: nothing else needs them.
  const { x509 } = await import('../asn1/x509.js');
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const who = `${safeUser()}@${hostname()}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: `01${randomBytes(15).toString('hex')}`,
      name: [{ CN: [`Sealdesk local seal — ${who}`] }, { O: ['Sealdesk local seal'] }],
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(Date.UTC(now.getUTCFullYear() + 10, now.getUTCMonth(), now.getUTCDate())),
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
  return new Uint8Array(cert.rawData);
}

/** A temp of ours this old was left by a killed process (creating takes well under a second): removed. A younger
 * one may be another process's live write (the app and the CLI starting at once), which deleting would make fail. */
const STALE_TEMP_MS = 60_000;

async function removeOldTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!/^\.default-seal\.(key|cert)\.pem\.[0-9a-f]{12}\.tmp$/.test(name)) continue;
    const path = join(dir, name);
    const s = await stat(path).catch(() => null);
    if (s && Date.now() - s.mtimeMs > STALE_TEMP_MS) await unlink(path).catch(() => undefined);
  }
}

/** Another process opening the ledger may register it first (one default, by a unique index): then that record. */
function registerOnce(db: Ledger, leaf: Uint8Array, keyPath: string, now: Date): CertificateRecord {
  try {
    return register(db, leaf, keyPath, now);
  } catch (err) {
    const first = defaultCertificate(db);
    if (first) return first;
    throw err;
  }
}

function register(db: Ledger, leaf: Uint8Array, keyPath: string, now: Date): CertificateRecord {
  const f = certificateFacts(leaf);
  return insertCertificate(db, {
    id: randomUUID(),
    label: 'Default seal',
    status: 'active',
    source: 'local',
    kind: 'default',
    keyRef: keyPath,
    subject: f.subject,
    notBefore: f.notBefore.toISOString(),
    notAfter: f.notAfter.toISOString(),
    chain: [leaf],
    createdAt: now.toISOString(),
  });
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}
