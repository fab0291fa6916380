// CRLs as OpenSSL's `ca -gencrl` makes them, large ones included: the entry for a certificate found by its serial with
// its revocation date, an unlisted one good, and a CRL that is forged, from another issuer or stale refused.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../core/asn1/bytes.js';
import { certificateParts } from '../../../core/asn1/cert-der.js';
import { checkCrl } from '../../../core/revocation/crl.js';
import { CMS_OID } from '../../../core/asn1/oids.js';
import { tlv } from '../../../core/asn1/tlv.js';
import { withUnsignedAttribute } from '../../../core/cms/archive-timestamp-edit.js';
import { parseSignedData } from '../../../core/cms/parse.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';

const ENTRIES = 50_000;
const dir = tempDir('crl');
let pki: TestPki;
let crl: Uint8Array;
const now = new Date();

beforeAll(async () => {
  pki = await createTestPki(join(dir.path, 'pki'));
  const revokedSerial = toHex(certificateParts(pki.signer.der).serial).toUpperCase();
  // index.txt: many revoked serials nobody holds, then the signer's, revoked on 2025-03-04 10:11:12 UTC.
  const lines = Array.from(
    { length: ENTRIES },
    (_, i) => `R\t400101000000Z\t240601000000Z\t${(0x100000 + i).toString(16).toUpperCase()}\tunknown\t/CN=other ${i}`,
  );
  lines.push(`R\t400101000000Z\t250304101112Z\t${revokedSerial}\tunknown\t/CN=Sealdesk Test Signer`);
  writeFileSync(join(dir.path, 'index.txt'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir.path, 'crlnumber'), '01\n');
  writeFileSync(
    join(dir.path, 'ca.cnf'),
    `[ca]\ndefault_ca = t\n[t]\ndatabase = ${join(dir.path, 'index.txt')}\ndefault_md = sha256\ncrlnumber = ${join(dir.path, 'crlnumber')}\ndefault_crl_days = 30\n`,
  );
  execFileSync(
    'openssl',
    [
      'ca',
      '-gencrl',
      '-config',
      join(dir.path, 'ca.cnf'),
      '-keyfile',
      pki.root.keyPath,
      '-cert',
      pki.root.certPath,
      '-out',
      join(dir.path, 'crl.pem'),
    ],
    { stdio: 'ignore' },
  );
  execFileSync('openssl', [
    'crl',
    '-in',
    join(dir.path, 'crl.pem'),
    '-outform',
    'DER',
    '-out',
    join(dir.path, 'crl.der'),
  ]);
  crl = new Uint8Array(readFileSync(join(dir.path, 'crl.der')));
}, 60_000);
afterAll(() => dir.remove());

describe('checkCrl', () => {
  it(`finds a certificate among ${ENTRIES.toLocaleString('en')} entries, with its revocation date, and the CRL's nextUpdate`, async () => {
    expect(crl.length).toBeGreaterThan(1_000_000);
    const s = await checkCrl(crl, pki.signer.der, pki.root.der, now);
    expect(s.status).toBe('revoked');
    expect(s.revokedAt?.toISOString()).toBe('2025-03-04T10:11:12.000Z');
    const printed = execFileSync(
      'openssl',
      ['crl', '-inform', 'DER', '-in', join(dir.path, 'crl.der'), '-noout', '-nextupdate'],
      { encoding: 'utf8' },
    );
    expect(s.nextUpdate?.getTime()).toBe(new Date(printed.replace('nextUpdate=', '').trim()).getTime());
  });

  it('a certificate the CRL does not list is good', async () => {
    expect((await checkCrl(crl, pki.signerEc.der, pki.root.der, now)).status).toBe('good');
  });

  it('refuses a CRL whose signature is altered, one checked against another issuer, and a stale one', async () => {
    const forged = crl.slice();
    forged[forged.length - 10]! ^= 0x01; // inside the signature value
    await expect(checkCrl(forged, pki.signer.der, pki.root.der, now)).rejects.toMatchObject({
      code: 'REVOCATION_UNAVAILABLE',
      message: /not signed by the certificate's issuer/,
    });
    await expect(checkCrl(crl, pki.signer.der, pki.tsa.der, now)).rejects.toMatchObject({
      code: 'REVOCATION_UNAVAILABLE',
    });
    await expect(
      checkCrl(crl, pki.signer.der, pki.root.der, new Date(now.getTime() + 40 * 86_400_000)),
    ).rejects.toMatchObject({ code: 'REVOCATION_UNAVAILABLE', message: /stale/ });
  });

  it('refuses bytes that are not a CRL, with the reason', async () => {
    await expect(checkCrl(crl.subarray(0, 5000), pki.signer.der, pki.root.der, now)).rejects.toMatchObject({
      code: 'REVOCATION_UNAVAILABLE',
      message: /unusable CRL/,
    });
    await expect(checkCrl(pki.signer.der, pki.signer.der, pki.root.der, now)).rejects.toMatchObject({
      code: 'REVOCATION_UNAVAILABLE',
    });
  });
});

describe('validation data in CAdES-XL unsigned attributes (RFC 5126 §6.3.3–6.3.4)', () => {
  it('a 1 MB CRL in revocation-values and the CA in certificate-values are read as exact DER, not node by node', () => {
    const content = join(dir.path, 'doc.txt');
    const p7s = join(dir.path, 'doc.p7s');
    writeFileSync(content, 'quarterly figures\n');
    const signer = ['-signer', pki.signerEc.certPath, '-inkey', pki.signerEc.keyPath];
    execFileSync('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-in',
      content,
      ...signer,
      '-md',
      'sha256',
      '-nosmimecap',
      '-cades',
      '-outform',
      'DER',
      '-out',
      p7s,
    ]);
    let der: Uint8Array = new Uint8Array(readFileSync(p7s));
    der = withUnsignedAttribute(der, CMS_OID.certValues, tlv(0x30, pki.root.der));
    der = withUnsignedAttribute(der, CMS_OID.revocationValues, tlv(0x30, tlv(0xa0, tlv(0x30, crl))));
    const parsed = parseSignedData(der);
    expect(parsed.revocationValues).toHaveLength(1);
    expect(parsed.revocationValues[0]!.kind).toBe('crl');
    expect(Buffer.from(parsed.revocationValues[0]!.der).equals(Buffer.from(crl))).toBe(true);
    expect(parsed.certificateDers.some((c) => Buffer.from(c).equals(Buffer.from(pki.root.der)))).toBe(true);
    const types = parsed.signedData.signerInfos[0]!.unsignedAttrs!.attributes.map((a) => a.type);
    expect(types).toEqual([CMS_OID.certValues, CMS_OID.revocationValues]); // still there for pkijs, their values split off
  });
});
