// The signer behind a certificate Sealdesk knows (ledger record): a key file, a PKCS#12, a token key, a KMS key or
// the default seal. Secrets (password, PIN, passphrase) are used once and never stored.
import { readFileSync } from 'node:fs';
import { CoreError, InputError } from '../errors.js';
import { describeFsError } from '../hash/hash-file.js';
import type { CertificateRecord } from '../ledger/certificates.js';
import type { Ledger } from '../ledger/open.js';
import { defaultSeal } from './default-seal.js';
import { KeySigner } from './key-signer.js';
import { signerFromPkcs12 } from './pkcs12.js';
import type { Signer } from './signer.js';

export type SignerSecrets = { readonly password?: string; readonly pin?: string; readonly passphrase?: string };

export async function signerForRecord(
  db: Ledger,
  record: CertificateRecord,
  s: SignerSecrets & { home: string },
): Promise<Signer> {
  if (record.status !== 'active') throw new CoreError('CERT_NOT_VALID', `certificate ${record.id} is ${record.status}`);
  switch (record.kind) {
    case 'default':
      return (await defaultSeal(db, { home: s.home, passphrase: s.passphrase, now: new Date() })).signer;
    case 'file':
      if (record.keyRef.startsWith('{')) {
        const { p12 } = JSON.parse(record.keyRef) as { p12: string };
        if (s.password === undefined)
          throw new CoreError('KEY_LOCKED', 'the PKCS#12 password is needed (it is never stored)');
        return signerFromPkcs12(readKeyFile(p12, 'PKCS#12 file'), s.password);
      }
      return keySignerFromFile(record.keyRef, record.chain, s.password);
    case 'pkcs11': {
      if (s.pin === undefined) throw new CoreError('PIN_REQUIRED', 'the token PIN is needed (it is never stored)');
      const { Pkcs11Signer } = await import('./pkcs11/index.js');
      return Pkcs11Signer.open(JSON.parse(record.keyRef), s.pin, record.chain);
    }
    case 'kms': {
      const { KmsSigner } = await import('./kms/kms-signer.js'); // the AWS SDK loads only when a KMS key is used
      return KmsSigner.open(JSON.parse(record.keyRef), record.chain);
    }
  }
}

/** A PEM private key file with its chain; an encrypted key needs its password. */
export function keySignerFromFile(
  keyPath: string,
  chain: readonly Uint8Array[],
  password: string | undefined,
): KeySigner {
  const pem = readKeyFile(keyPath, 'key');
  if (Buffer.from(pem).includes('ENCRYPTED') && !password)
    throw new CoreError('KEY_LOCKED', `${keyPath} is encrypted: its password is needed`);
  try {
    return KeySigner.fromPem(pem, chain, password);
  } catch (err) {
    if (err instanceof CoreError) throw err;
    throw new CoreError(
      'PASSPHRASE_INCORRECT',
      `cannot read the key ${keyPath}: wrong password, or not a PEM private key`,
      { cause: err },
    );
  }
}

function readKeyFile(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new InputError(
      'INPUT_UNREADABLE',
      `cannot read ${what} ${path}: ${describeFsError(err as NodeJS.ErrnoException)}`,
      { cause: err },
    );
  }
}
