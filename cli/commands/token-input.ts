// Reading a .tsr/.tst and optional --tsa-cert PEM files for inspect and verify.
import { readFileSync } from 'node:fs';
import { InputError } from '../../core/errors.js';
import { parsePemCertificates } from '../../core/asn1/certificate.js';
import { describeFsError } from '../../core/hash/hash-file.js';

export function readInput(path: string, what: string): Uint8Array {
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

export function readCertificates(paths: readonly string[]): Uint8Array[] {
  return paths.flatMap((p) => {
    const text = Buffer.from(readInput(p, 'certificate')).toString('utf8');
    const certs = text.includes('-----BEGIN CERTIFICATE-----')
      ? parsePemCertificates(text)
      : [readInput(p, 'certificate')];
    if (certs.length === 0) throw new InputError('INPUT_UNREADABLE', `${p} holds no certificate`);
    return certs;
  });
}
