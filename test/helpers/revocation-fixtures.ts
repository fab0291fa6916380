// Revocation answers made by OpenSSL for tests, at a chosen time: `openssl ocsp` (with or without nextUpdate) and
// `openssl ca -gencrl`, run under libfaketime when an answer must be issued in the past; and .p7s seals built with
// Sealdesk's own CAdES writer, a signature time-stamp from a loopback OpenSSL TSA and, optionally, revocation values.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '../../core/asn1/bytes.js';
import { certificateParts } from '../../core/asn1/cert-der.js';
import { x509 } from '../../core/asn1/x509.js';
import { addSignatureTimeStamp, buildCades } from '../../core/cms/cades-build.js';
import { withValidationData } from '../../core/cms/archive-timestamp-edit.js';
import { hashBytes } from '../../core/hash/hash-file.js';
import { KeySigner } from '../../core/signers/key-signer.js';
import type { TestCert } from './pki.js';

export type IndexEntry = { readonly cert: TestCert; readonly revokedAt?: string };

/** OpenSSL's CA database line for a certificate: V (valid), or R with its revocation time (YYMMDDHHMMSSZ). */
function indexLine(e: IndexEntry): string {
  const serial = toHex(certificateParts(e.cert.der).serial).toUpperCase();
  const cn = /CN=([^,]+)/.exec(new x509.X509Certificate(e.cert.der).subject)![1];
  return [e.revokedAt ? 'R' : 'V', '400101000000Z', e.revokedAt ?? '', serial, 'unknown', `/CN=${cn}`].join('\t');
}

/** `faketime -f <spec> <cmd>` when a time is given ('@2025-06-01 00:00:00' or '-2d'), else the command itself. */
function run(cmd: string, args: string[], fakeTime?: string): void {
  if (fakeTime) execFileSync('faketime', ['-f', fakeTime, cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

export type OcspOptions = {
  readonly dir: string;
  readonly issuer: TestCert;
  readonly cert: TestCert;
  /** What the responder's database says of the certificate (revokedAt: YYMMDDHHMMSSZ). */
  readonly revokedAt?: string;
  /** nextUpdate this many days after thisUpdate; null: no nextUpdate at all. */
  readonly days: number | null;
  /** Issued at this libfaketime time instead of now. */
  readonly at?: string;
  readonly name: string;
};

/** A real `openssl ocsp` response for one certificate, signed by its issuer. */
export function ocspResponse(o: OcspOptions): Uint8Array {
  const base = join(o.dir, o.name);
  writeFileSync(`${base}.idx`, `${indexLine({ cert: o.cert, revokedAt: o.revokedAt })}\n`);
  run('openssl', [
    'ocsp',
    '-issuer',
    o.issuer.certPath,
    '-cert',
    o.cert.certPath,
    '-no_nonce',
    '-reqout',
    `${base}.req`,
  ]);
  const days = o.days === null ? [] : ['-ndays', String(o.days)];
  const sign = [
    '-index',
    `${base}.idx`,
    '-CA',
    o.issuer.certPath,
    '-rsigner',
    o.issuer.certPath,
    '-rkey',
    o.issuer.keyPath,
  ];
  run('openssl', ['ocsp', ...sign, '-reqin', `${base}.req`, '-respout', `${base}.resp`, ...days], o.at);
  return new Uint8Array(readFileSync(`${base}.resp`));
}

/** A real `openssl ca -gencrl` CRL from `issuer` listing `entries` (30 days to its nextUpdate). */
export function crl(o: {
  dir: string;
  issuer: TestCert;
  entries: readonly IndexEntry[];
  at?: string;
  name: string;
}): Uint8Array {
  const base = join(o.dir, o.name);
  writeFileSync(`${base}.idx`, o.entries.map((e) => `${indexLine(e)}\n`).join(''));
  writeFileSync(`${base}.num`, '01\n');
  const cnf = `[ca]\ndefault_ca = t\n[t]\ndatabase = ${base}.idx\ndefault_md = sha256\ncrlnumber = ${base}.num\ndefault_crl_days = 30\n`;
  writeFileSync(`${base}.cnf`, cnf);
  run(
    'openssl',
    [
      'ca',
      '-gencrl',
      '-config',
      `${base}.cnf`,
      '-keyfile',
      o.issuer.keyPath,
      '-cert',
      o.issuer.certPath,
      '-out',
      `${base}.pem`,
    ],
    o.at,
  );
  run('openssl', ['crl', '-in', `${base}.pem`, '-outform', 'DER', '-out', `${base}.der`]);
  return new Uint8Array(readFileSync(`${base}.der`));
}

/** A time-stamp token over `data` from a loopback TSA (`openssl ts -query`, POSTed as a TSA client does). */
export async function timeStampToken(tsaUrl: string, data: Uint8Array, dir: string, name: string): Promise<Uint8Array> {
  const q = join(dir, `${name}.tsq`);
  writeFileSync(join(dir, `${name}.dat`), data);
  run('openssl', ['ts', '-query', '-data', join(dir, `${name}.dat`), '-sha256', '-cert', '-out', q]);
  const res = await fetch(tsaUrl, {
    method: 'POST',
    body: readFileSync(q),
    headers: { 'content-type': 'application/timestamp-query' },
  });
  if (!res.ok) throw new Error(`TSA answered HTTP ${res.status}`);
  writeFileSync(join(dir, `${name}.tsr`), new Uint8Array(await res.arrayBuffer()));
  run('openssl', ['ts', '-reply', '-in', join(dir, `${name}.tsr`), '-token_out', '-out', join(dir, `${name}.tst`)]);
  return new Uint8Array(readFileSync(join(dir, `${name}.tst`)));
}

/** A detached CAdES seal of `content` by `signer` with a signature time-stamp from `tsaUrl` and optional revocation values. */
export async function p7sSeal(o: {
  readonly content: Uint8Array;
  readonly signer: TestCert;
  readonly chain: readonly TestCert[];
  readonly tsaUrl: string;
  readonly signingTime: Date;
  readonly dir: string;
  readonly name: string;
  readonly ocsps?: readonly Uint8Array[];
  readonly crls?: readonly Uint8Array[];
}): Promise<Uint8Array> {
  const signer = KeySigner.fromPem(o.signer.keyPem, [o.signer.der, ...o.chain.map((c) => c.der)]);
  const cades = await buildCades({
    signer,
    contentDigest: hashBytes(signer.defaultAlgorithm.hash, o.content),
    signingTime: o.signingTime,
  });
  const token = await timeStampToken(o.tsaUrl, cades.signatureValue, o.dir, o.name);
  const stamped = addSignatureTimeStamp(cades.der, token);
  if (!o.ocsps?.length && !o.crls?.length) return stamped;
  return withValidationData(stamped, { certificates: [], crls: o.crls ?? [], ocspResponses: o.ocsps ?? [] }).der;
}
