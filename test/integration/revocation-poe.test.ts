// Proof of existence (issue 13) through `sealdesk verify --p7s`: a time-stamp proves existence only when its TSA chains
// to a trust anchor — an untrusted TSA's time is shown but never rescues an expired or revoked signer — and revocation
// data counts only if issued at or after that proof. The seals are made in the past: their signature time-stamps
// come from loopback OpenSSL TSAs whose clock libfaketime sets to 2025-03-01, OCSP answers from `openssl ocsp`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { x509 } from '../../core/asn1/x509.js';
import { cliRunner } from '../helpers/cli.js';
import { createTestPki, issueCertificate, type TestCert, type TestPki } from '../helpers/pki.js';
import { crl, ocspResponse, p7sSeal } from '../helpers/revocation-fixtures.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { tempDir } from '../helpers/tmp.js';

const work = tempDir('revocation-poe');
const STAMPED = '@2025-03-01 12:00:00';
const SIGNED = new Date('2025-03-01T11:59:00Z');
let pki: TestPki; // the trust anchor given to verify
let other: TestPki; // a root nobody trusts, with its own TSA
let trustedTsa: LoopbackTsa;
let untrustedTsa: LoopbackTsa;
let expired: TestCert; // valid 2024-01-01 to 2025-06-01: expired now, valid when stamped
let sealdesk: ReturnType<typeof cliRunner>;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  other = await createTestPki(join(work.path, 'other'));
  trustedTsa = await startTsa({ pki, clockOffset: STAMPED });
  untrustedTsa = await startTsa({ pki: other, clockOffset: STAMPED });
  expired = await leaf('expired', 0x61, new Date('2025-06-01T00:00:00Z'), []);
  sealdesk = cliRunner({ SEALDESK_HOME: join(work.path, 'home') });
}, 60_000);
afterAll(async () => {
  await trustedTsa.close();
  await untrustedTsa.close();
  work.remove();
});

function leaf(name: string, serial: number, notAfter: Date, extensions: x509.Extension[]): Promise<TestCert> {
  return issueCertificate(pki.root, work.path, {
    name,
    cn: `Sealdesk Test Seal ${name}`,
    serial: serial.toString(16),
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter,
    extensions,
  });
}

/** Seals a fresh file with `signer`, time-stamped by `tsa`, and verifies it with only `pki`'s root as anchor. */
async function sealAndVerify(
  name: string,
  signer: TestCert,
  tsa: LoopbackTsa,
  extra: { ocsps?: Uint8Array[]; crls?: Uint8Array[] } = {},
) {
  const doc = join(work.path, `${name}.txt`);
  const content = Buffer.from(`${name} ${Math.random()}\n`);
  writeFileSync(doc, content);
  const p7s = await p7sSeal({
    content,
    signer,
    chain: [pki.root],
    tsaUrl: tsa.url,
    signingTime: SIGNED,
    dir: work.path,
    name,
    ...extra,
  });
  writeFileSync(`${doc}.p7s`, p7s);
  const r = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust', pki.root.certPath, '--json');
  return { code: r.code, cades: r.json().cades };
}

describe('an expired signer and the time-stamp that would prove it signed in time', () => {
  it('an untrusted TSA: its time is shown, the reason says it cannot be relied on, and the signer is judged now: not passed', async () => {
    const { code, cades } = await sealAndVerify('expired-untrusted', expired, untrustedTsa);
    expect(code).toBe(1);
    expect(cades).toMatchObject({
      intact: true,
      valid: false,
      indication: 'INDETERMINATE',
      subIndication: 'OUT_OF_BOUNDS_NO_POE',
    });
    expect(cades.timestamp).toMatchObject({ genTime: expect.stringMatching(/^2025-03-01T12:00:0\d/), trusted: false });
    expect(cades.problems.join('\n')).toMatch(
      /the signer certificate was not valid at 20\d\d-.* \(valid 2024-01-01T00:00:00\.000Z to 2025-06-01T00:00:00\.000Z\); the time-stamp's time, 2025-03-01T12:00:0\d(\.\d+)?Z, cannot be relied on as proof of existence: its TSA certificate does not chain to a trust anchor/,
    );
    const judgedAt = /not valid at (\S+) /.exec(cades.problems.join('\n'))![1]!;
    expect(Date.parse(judgedAt)).toBeGreaterThan(Date.parse('2025-06-01T00:00:00Z')); // now, not the TSA's time
  });

  it('a trusted TSA: its time is the proof of existence, when the certificate was valid: TOTAL-PASSED', async () => {
    const { code, cades } = await sealAndVerify('expired-trusted', expired, trustedTsa);
    expect(cades.problems).toEqual([]);
    expect(code).toBe(0);
    expect(cades).toMatchObject({
      valid: true,
      indication: 'TOTAL-PASSED',
      timestamp: { trusted: true },
      revocation: { status: 'no-source' },
    });
  });
});

describe('a signer revoked after it signed', () => {
  let revoked: TestCert;
  let list: Uint8Array;
  beforeAll(async () => {
    revoked = await leaf('revoked-later', 0x62, new Date('2040-01-01T00:00:00Z'), [
      new x509.CRLDistributionPointsExtension(['http://192.0.2.1/crl']),
    ]);
    list = crl({
      dir: work.path,
      issuer: pki.root,
      entries: [{ cert: revoked, revokedAt: '250501000000Z' }],
      name: 'revoked-later',
    }); // issued now
  });

  it('a trusted TSA proves it signed before the revocation: TOTAL-PASSED, the revocation reported', async () => {
    const { code, cades } = await sealAndVerify('revoked-trusted', revoked, trustedTsa, { crls: [list] });
    expect(cades.problems).toEqual([]);
    expect(code).toBe(0);
    expect(cades).toMatchObject({
      indication: 'TOTAL-PASSED',
      revocation: { status: 'revoked', source: 'cms', revokedAt: '2025-05-01T00:00:00.000Z' },
    });
  });

  it('an untrusted TSA proves nothing: REVOKED, and the reason says its time cannot be relied on', async () => {
    const { code, cades } = await sealAndVerify('revoked-untrusted', revoked, untrustedTsa, { crls: [list] });
    expect(code).toBe(1);
    expect(cades).toMatchObject({
      indication: 'TOTAL-FAILED',
      subIndication: 'REVOKED',
      timestamp: { trusted: false },
    });
    expect(cades.problems.join('\n')).toMatch(
      /the signer's certificate is revoked: revoked according to CRL data in the signature on 2025-05-01T00:00:00\.000Z; the time-stamp's time, 2025-03-01T12:00:0\d(\.\d+)?Z, cannot be relied on as proof of existence/,
    );
  });
});

describe('two sources that disagree', () => {
  it('an OCSP "good" and a CRL "revoked" in the signature, or the other way round: TOTAL-FAILED / REVOKED either way', async () => {
    const urls = [
      new x509.AuthorityInfoAccessExtension({ ocsp: [new x509.GeneralName('url', 'http://192.0.2.1/ocsp')] }),
      new x509.CRLDistributionPointsExtension(['http://192.0.2.1/crl']),
    ];
    const signer = await leaf('disputed', 0x64, new Date('2040-01-01T00:00:00Z'), urls);
    const good = {
      ocsp: ocspResponse({ dir: work.path, issuer: pki.root, cert: signer, days: 7, name: 'disputed-good' }),
      crl: crl({
        dir: work.path,
        issuer: pki.root,
        entries: [{ cert: pki.signer, revokedAt: '250101000000Z' }],
        name: 'disputed-crl-good',
      }),
    };
    const bad = {
      ocsp: ocspResponse({
        dir: work.path,
        issuer: pki.root,
        cert: signer,
        revokedAt: '250101000000Z',
        days: 7,
        name: 'disputed-revoked',
      }),
      crl: crl({
        dir: work.path,
        issuer: pki.root,
        entries: [{ cert: signer, revokedAt: '250101000000Z' }],
        name: 'disputed-crl-revoked',
      }),
    };
    for (const [name, extra] of [
      ['ocsp-good-crl-revoked', { ocsps: [good.ocsp], crls: [bad.crl] }],
      ['ocsp-revoked-crl-good', { ocsps: [bad.ocsp], crls: [good.crl] }],
    ] as const) {
      const { code, cades } = await sealAndVerify(name, signer, trustedTsa, {
        ocsps: [...extra.ocsps],
        crls: [...extra.crls],
      });
      expect(code, name).toBe(1);
      expect(cades, name).toMatchObject({
        indication: 'TOTAL-FAILED',
        subIndication: 'REVOKED',
        revocation: { status: 'revoked', revokedAt: '2025-01-01T00:00:00.000Z' },
      });
      expect(cades.revocation.detail, name).toMatch(/it beats the "good" of the (OCSP|CRL) data in the signature/);
    }
  });
});

describe('revocation data issued before the proof of existence', () => {
  let signer: TestCert;
  beforeAll(async () => {
    signer = await leaf('ocsp-named', 0x63, new Date('2040-01-01T00:00:00Z'), [
      new x509.AuthorityInfoAccessExtension({ ocsp: [new x509.GeneralName('url', 'http://192.0.2.1/ocsp')] }),
    ]);
  });

  it('an OCSP "good" made a month before the signature time-stamp does not count: INDETERMINATE / TRY_LATER with the reason', async () => {
    const early = ocspResponse({
      dir: work.path,
      issuer: pki.root,
      cert: signer,
      days: 7,
      at: '@2025-02-01 00:00:00',
      name: 'early',
    });
    const { code, cades } = await sealAndVerify('ocsp-early', signer, trustedTsa, { ocsps: [early] });
    expect(code).toBe(1);
    expect(cades).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
      revocation: { status: 'missing' },
    });
    expect(cades.revocation.detail).toMatch(
      /^the OCSP response in the signature \(issued 2025-02-01T00:00:0\d(\.\d+)?Z\) predates the proof of existence 2025-03-01T12:00:0\d(\.\d+)?Z: only data issued at or after it shows the certificate was not revoked then/,
    );
  });

  it('the same certificate with an OCSP "good" made after the time-stamp: TOTAL-PASSED', async () => {
    const late = ocspResponse({ dir: work.path, issuer: pki.root, cert: signer, days: 7, name: 'late' });
    const { code, cades } = await sealAndVerify('ocsp-late', signer, trustedTsa, { ocsps: [late] });
    expect(cades.problems).toEqual([]);
    expect(code).toBe(0);
    expect(cades).toMatchObject({ indication: 'TOTAL-PASSED', revocation: { status: 'good', source: 'cms' } });
  });
});
