// Issue 14 end to end: a CMS signed by OpenSSL that carries two cross-signed CAs (A signs B, B signs A) and the leaf
// they certify, verified with a trust anchor set. The path search ends: untrusted with the loop named when the anchor
// is neither CA, chained through B when the anchor is A.
import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { x509 } from '../../../core/asn1/x509.js';
import { verifyCades } from '../../../core/validation/index.js';
import { tempDir } from '../../helpers/tmp.js';

const crypto = webcrypto;
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
type Keys = webcrypto.CryptoKeyPair;
const name = (cn: string) => `CN=${cn}, O=Sealdesk Cross Tests`;
const pem = (der: ArrayBuffer, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ${label}-----\n`;

async function issue(
  subject: string,
  issuer: string,
  keys: { subject: Keys; issuer: Keys },
  ca: boolean,
  serial: string,
) {
  const usage = ca ? x509.KeyUsageFlags.keyCertSign : x509.KeyUsageFlags.digitalSignature;
  return x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: name(subject),
    issuer: name(issuer),
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
    signingAlgorithm: EC,
    publicKey: keys.subject.publicKey,
    signingKey: keys.issuer.privateKey,
    extensions: [new x509.BasicConstraintsExtension(ca, undefined, true), new x509.KeyUsagesExtension(usage, true)],
  });
}

describe('a CMS carrying two cross-signed CAs', () => {
  const dir = tempDir('cross-cms');
  let p7s: Uint8Array;
  let content: Uint8Array;
  let aByB: x509.X509Certificate;
  let other: x509.X509Certificate;

  beforeAll(async () => {
    x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    const gen = async () => (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as Keys;
    const [kA, kB, kL, kO] = await Promise.all([gen(), gen(), gen(), gen()]);
    aByB = await issue('A', 'B', { subject: kA, issuer: kB }, true, '0a');
    const bByA = await issue('B', 'A', { subject: kB, issuer: kA }, true, '0b');
    const leaf = await issue('Leaf', 'B', { subject: kL, issuer: kB }, false, '0c');
    other = await issue('Other Root', 'Other Root', { subject: kO, issuer: kO }, true, '0d');
    writeFileSync(join(dir.path, 'leaf.pem'), leaf.toString('pem'));
    writeFileSync(
      join(dir.path, 'leaf.key'),
      pem(await crypto.subtle.exportKey('pkcs8', kL.privateKey), 'PRIVATE KEY'),
    );
    writeFileSync(join(dir.path, 'cas.pem'), `${aByB.toString('pem')}\n${bByA.toString('pem')}\n`);
    writeFileSync(join(dir.path, 'content.txt'), 'cross-signed\n');
    const sign = [
      'cms',
      '-sign',
      '-binary',
      '-in',
      'content.txt',
      '-signer',
      'leaf.pem',
      '-inkey',
      'leaf.key',
      '-certfile',
      'cas.pem',
    ];
    execFileSync('openssl', [...sign, '-outform', 'DER', '-out', 'sig.p7s'], { cwd: dir.path });
    p7s = new Uint8Array(readFileSync(join(dir.path, 'sig.p7s')));
    content = new Uint8Array(readFileSync(join(dir.path, 'content.txt')));
  });
  afterAll(() => dir.remove());

  const digestContent = async (alg: string) =>
    new Uint8Array(await crypto.subtle.digest(alg.replace('sha', 'SHA-'), content));
  const verify = (anchor: x509.X509Certificate) =>
    verifyCades(p7s, {
      digestContent,
      anchors: [new Uint8Array(anchor.rawData)],
      now: new Date('2026-06-01T00:00:00Z'),
    });

  it('the CMS holds the leaf and both cross certificates (OpenSSL put them there)', () => {
    const certs = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', 'sig.p7s', '-print_certs', '-noout'], {
      cwd: dir.path,
    });
    expect(certs.toString().match(/^subject=/gm)).toHaveLength(3);
  });

  it('an anchor that is neither CA: intact, untrusted, the loop named', async () => {
    const r = await verify(other);
    expect(r.intact).toBe(true);
    expect(r.certificate?.trust).toBe('untrusted');
    expect(r.certificate?.trustMessage).toMatch(
      /already in the path \(a loop of cross-signed or self-issued certificates\)/,
    );
  });

  it('A (as signed by B) as the anchor: chained Leaf → B → A', async () => {
    const r = await verify(aByB);
    expect(r.certificate?.trust).toBe('chained');
    expect(r.certificate?.trustPath).toEqual([name('Leaf'), name('B'), name('A')]);
  });
});
