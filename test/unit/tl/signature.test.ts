// A trusted list's XAdES signature (core/tl/signature.ts): synthetic lists signed with test keys verify against their
// signer's certificate only; a tampered list, a wrapped list (signature-wrapping attacks), a duplicate Id, a second
// signature or a narrowing transform are 'invalid' with the reason in words; xmlsec1 is an independent judge.
import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePemCertificates } from '../../../core/asn1/certificate.js';
import { pemEncode } from '../../../core/util/pem.js';
import { x509 } from '../../../core/asn1/x509.js';
import { parseTrustedList } from '../../../core/tl/parse.js';
import { parseXml } from '../../../core/tl/xml.js';
import { verifyListSignature } from '../../../core/tl/signature.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { buildTl, signList } from '../../helpers/tl-builder.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('tl-sig');
let pki: TestPki;
const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
const WITHDRAWN = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn';

const list = () =>
  buildTl({
    territory: 'NO',
    sequence: 7,
    services: [
      {
        serviceName: 'QTSA',
        type: 'tsaQtst',
        certificates: [pki.tsa.der],
        statuses: [{ status: 'granted', from: '2021-01-01' }],
      },
    ],
  });

const verify = (xml: Uint8Array | string, allowed: Uint8Array[]) =>
  verifyListSignature(parseXml(typeof xml === 'string' ? Buffer.from(xml) : xml), allowed);

/** xmlsec1's verdict with `certPem` as the only key it may use (true: "OK"). */
function xmlsec(xml: Uint8Array | string, certPem: string): boolean {
  const file = join(tmp.path, 'list.xml');
  const cert = join(tmp.path, 'cert.pem');
  writeFileSync(file, xml);
  writeFileSync(cert, certPem);
  const args = ['--verify', '--pubkey-cert-pem', cert, '--id-attr:Id', 'TrustServiceStatusList'];
  args.push('--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties', file);
  try {
    execFileSync('xmlsec1', args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  pki = await createTestPki(join(tmp.path, 'pki'));
});
afterAll(() => tmp.remove());

describe('verifyListSignature', () => {
  it('accepts a list signed by A against [A] (RSA), naming the signer; xmlsec1 agrees', async () => {
    const signed = await signList(list(), pki.signer);
    const r = await verify(signed, [pki.signer.der]);
    expect(r).toMatchObject({ status: 'valid', reason: null });
    expect(r.signedBy).toContain('CN=Sealdesk Test Seal RSA');
    expect(Buffer.from(r.signer!).equals(Buffer.from(pki.signer.der))).toBe(true);
    expect(xmlsec(signed, pki.signer.certPem)).toBe(true);
  });

  it('accepts ECDSA, URI "" and inclusive C14N of SignedInfo; xmlsec1 agrees', async () => {
    const signed = await signList(list(), pki.signerEc, { reference: 'empty', inclusive: true });
    expect(signed.toString()).toContain('URI=""');
    expect(await verify(signed, [pki.signerEc.der])).toMatchObject({ status: 'valid' });
    expect(xmlsec(signed, pki.signerEc.certPem)).toBe(true);
  });

  it('accepts RSA-PSS (xmldsig-more#rsa-pss, SHA-256, salt 32); xmlsec1 1.2 cannot judge PSS', async () => {
    const signed = await signList(list(), pki.signer, { pss: true });
    expect(signed.toString()).toContain('Algorithm="http://www.w3.org/2007/05/xmldsig-more#rsa-pss"');
    expect(await verify(signed, [pki.signer.der])).toMatchObject({ status: 'valid' });
    expect(await verify(signed.toString().replace(GRANTED, WITHDRAWN), [pki.signer.der])).toMatchObject({
      status: 'invalid',
    });
  });

  it('refuses a list signed by A checked against [B], saying who signed it; xmlsec1 with B refuses too', async () => {
    const signed = await signList(list(), pki.signer);
    const r = await verify(signed, [pki.tsa.der]);
    expect(r.status).toBe('invalid');
    expect(r.reason).toMatch(
      /^signed by .*CN=Sealdesk Test Seal RSA.*, not by any of the 1 certificate this list must be checked against$/,
    );
    expect(xmlsec(signed, pki.tsa.certPem)).toBe(false);
    expect((await verify(signed, [])).reason).toContain('not by any of the 0 certificates');
  });

  it('accepts a re-issued certificate for the same key (same SubjectPublicKeyInfo)', async () => {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    const reissued = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '77',
      name: 'CN=Re-issued, C=NO',
      notBefore: new Date('2024-01-01'),
      notAfter: new Date('2030-01-01'),
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      keys: pki.signer.keys,
    });
    const signed = await signList(list(), pki.signer);
    expect(await verify(signed, [new Uint8Array(reissued.rawData)])).toMatchObject({ status: 'valid' });
  });

  it('finds the signer among the allowed certificates when KeyInfo is left out', async () => {
    const full = (await signList(list(), pki.signer)).toString();
    expect(full).toContain('<ds:KeyInfo><ds:X509Data><ds:X509Certificate>MII');
    const signed = full.replace(/<ds:KeyInfo>.*<\/ds:KeyInfo>/s, '');
    expect(signed).not.toContain('<ds:KeyInfo>');
    expect(await verify(signed, [pki.tsa.der, pki.signer.der])).toMatchObject({ status: 'valid' });
  });

  it('refuses a list whose service status was changed after signing; xmlsec1 refuses too', async () => {
    const signed = (await signList(list(), pki.signer)).toString();
    const tampered = signed.replace(GRANTED, WITHDRAWN);
    expect(tampered).not.toBe(signed);
    const r = await verify(tampered, [pki.signer.der]);
    expect(r).toMatchObject({ status: 'invalid', signedBy: null });
    expect(r.reason).toBe('the digest of the element #TSL does not match: it was changed after it was signed');
    expect(xmlsec(tampered, pki.signer.certPem)).toBe(false);
  });

  it('refuses a signed list wrapped inside a second, unsigned TrustServiceStatusList', async () => {
    const signed = (await signList(list(), pki.signer)).toString().replace(/^<\?xml[^>]*>\s*/, '');
    const fake = list()
      .replace(/^<\?xml[^>]*>\s*/, '')
      .replace(' Id="TSL"', ' Id="EVIL"');
    const wrapped = fake.replace('</TrustServiceStatusList>', `${signed}</TrustServiceStatusList>`);
    const r = await verify(wrapped, [pki.signer.der]);
    expect(r.status).toBe('invalid');
    expect(r.reason).toBe('the signature is not a child of the list root (not enveloped)');
  });

  it('refuses the signature moved onto a forged root with the signed list hidden in ds:Object', async () => {
    const signed = (await signList(list(), pki.signer)).toString().replace(/^<\?xml[^>]*>\s*/, '');
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const original = signed.replace(signature, '');
    const hidden = signature.replace('</ds:Signature>', `<ds:Object>${original}</ds:Object></ds:Signature>`);
    const forged = list()
      .replace(' Id="TSL"', '')
      .replace('</TrustServiceStatusList>', `${hidden}</TrustServiceStatusList>`);
    const r = await verify(forged.replace(GRANTED, WITHDRAWN), [pki.signer.der]);
    expect(r.status).toBe('invalid');
    expect(r.reason).toMatch(/^a reference points at "#TSL", which is neither the list nor its signature data$/);
  });

  it('refuses a duplicate Id, a second signature, an XPath transform, an unsigned list and an HMAC', async () => {
    const signed = (await signList(list(), pki.signer)).toString();
    const dupId = signed.replace('<SchemeInformation>', '<SchemeInformation Id="TSL">');
    expect((await verify(dupId, [pki.signer.der])).reason).toBe(
      'the Id "TSL" is used 2 times (a signature-wrapping attempt)',
    );
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const twice = signed.replace(
      '</TrustServiceStatusList>',
      `${signature.replace(/Id="[^"]*"/g, '')}</TrustServiceStatusList>`,
    );
    expect((await verify(twice, [pki.signer.der])).reason).toBe('the list carries 2 signatures; one is expected');
    const xpathT =
      '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>1</ds:XPath></ds:Transform>';
    const narrowed = signed.replace(/(<ds:Transforms>)/, `$1${xpathT}`);
    expect((await verify(narrowed, [pki.signer.der])).reason).toMatch(/transform .*xpath.* not allowed on a list$/);
    expect(await verify(list(), [pki.signer.der])).toMatchObject({
      status: 'invalid',
      reason: 'the list is not signed',
    });
    const hmac = signed.replace(/xmldsig-more#rsa-sha256/, 'xmldsig-more#hmac-sha256');
    expect((await verify(hmac, [pki.signer.der])).reason).toMatch(/is an HMAC \(a shared secret\)/);
  });

  it('refuses a signature value that does not verify (SignatureValue replaced)', async () => {
    const other = (
      await signList(list().replace('<TSLSequenceNumber>7', '<TSLSequenceNumber>8'), pki.signer)
    ).toString();
    const value = /<ds:SignatureValue>([^<]*)</.exec(other)![1]!;
    const signed = (await signList(list(), pki.signer)).toString().replace(/(<ds:SignatureValue>)[^<]*/, `$1${value}`);
    const r = await verify(signed, [pki.signer.der]);
    expect(r.status).toBe('invalid');
    expect(r.reason).toMatch(/^the signature value does not verify with the certificate it names \(.*Seal RSA/);
    expect(xmlsec(signed, pki.signer.certPem)).toBe(false);
  });
});

describe('verifyListSignature on the real lists (test/fixtures/real-world/trusted-lists)', () => {
  const REAL = 'test/fixtures/real-world/trusted-lists/';
  const doc = (name: string) => parseXml(readFileSync(`${REAL}${name}`));
  const oj2019 = () =>
    readdirSync(`${REAL}oj-2019`).flatMap((f) => parsePemCertificates(readFileSync(`${REAL}oj-2019/${f}`, 'utf8')));
  const parsed = new Map<string, ReturnType<typeof parseTrustedList>>();
  const pointerCerts = (list: string, territory: string) => {
    if (!parsed.has(list)) parsed.set(list, parseTrustedList(doc(list)));
    return parsed
      .get(list)!
      .pointers.filter((p) => p.territory === territory)
      .flatMap((p) => p.signingCertificates);
  };

  it('pivot 282 verifies against the 8 OJ C 276/2019 certificates (signed by one of them)', async () => {
    const r = await verifyListSignature(doc('eu-lotl-pivot-282.xml'), oj2019());
    expect(r).toMatchObject({ status: 'valid', reason: null });
    expect(r.signedBy).toContain('CN=Patrick Kremer (Signature)');
  });

  it('LOTL 332 is signed by a key pivot 300 announced, not by an OJ 2019 certificate', async () => {
    const lotl = doc('eu-lotl-332.xml');
    const byOj = await verifyListSignature(lotl, oj2019());
    expect(byOj.status).toBe('invalid');
    expect(byOj.reason).toMatch(/^signed by .*CN=European Commission, not by any of the 8 certificates this list/);
    const announced = pointerCerts('eu-lotl-pivot-300.xml', 'EU');
    const r = await verifyListSignature(lotl, announced);
    expect(r).toMatchObject({ status: 'valid', reason: null });
    expect(r.signedBy).toContain('OU=Directorate-General for Informatics');
  });

  it("the Estonian list 62 verifies against LOTL 332's EE pointer, not the Czech one; xmlsec1 agrees", async () => {
    const ee = readFileSync(`${REAL}tl-EE-62.xml`);
    const r = await verify(ee, pointerCerts('eu-lotl-332.xml', 'EE'));
    expect(r).toMatchObject({ status: 'valid', reason: null });
    expect(r.signedBy).toContain('CN=Estonian Trusted List Scheme Operator');
    expect((await verify(ee, pointerCerts('eu-lotl-332.xml', 'CZ'))).status).toBe('invalid');
    expect(xmlsec(ee, pemEncode(r.signer!))).toBe(true);
    const tampered = ee.toString('utf8').replace('Svcstatus/withdrawn', 'Svcstatus/granted');
    expect((await verify(tampered, pointerCerts('eu-lotl-332.xml', 'EE'))).reason).toBe(
      'the digest of the list does not match: it was changed after it was signed',
    );
    expect(xmlsec(tampered, pemEncode(r.signer!))).toBe(false);
  });
});
