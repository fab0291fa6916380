// Certification path building (core/validation/chain.ts): cross-signed CAs, self-loops, over-long paths, pathLen and
// cA violations end in "untrusted" with the reason in words, or in a chain — never a hang (issue 14).
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { x509 } from '../../../core/asn1/x509.js';
import { MAX_CANDIDATES, MAX_DEPTH, validateChain } from '../../../core/validation/chain.js';
import { evaluateTrust } from '../../../core/validation/trust.js';
import { tlv } from '../../../core/asn1/tlv.js';

const crypto = webcrypto;
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const AT = new Date('2026-06-01T00:00:00Z');
type Keys = webcrypto.CryptoKeyPair;

const keys = async (): Promise<Keys> => (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as Keys;
const name = (cn: string) => `CN=${cn}, O=Sealdesk Chain Tests`;
let serial = 1;

type Spec = {
  subject: string;
  issuer: string;
  subjectKeys: Keys;
  issuerKeys: Keys;
  ca?: boolean | null;
  pathLen?: number;
  keyUsage?: number;
  from?: string;
  to?: string;
  extra?: x509.Extension[];
  /** The key the authorityKeyIdentifier names (default: the issuer's; null: no AKI). */
  akiKeys?: Keys | null;
};

async function cert(s: Spec): Promise<Uint8Array> {
  const ext: x509.Extension[] = [];
  if (s.ca !== null) ext.push(new x509.BasicConstraintsExtension(s.ca ?? true, s.pathLen, true));
  if (s.keyUsage !== undefined) ext.push(new x509.KeyUsagesExtension(s.keyUsage, true));
  ext.push(await x509.SubjectKeyIdentifierExtension.create(s.subjectKeys.publicKey));
  const aki = s.akiKeys === undefined ? s.issuerKeys : s.akiKeys;
  if (aki) ext.push(await x509.AuthorityKeyIdentifierExtension.create(aki.publicKey));
  const c = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    subject: name(s.subject),
    issuer: name(s.issuer),
    notBefore: new Date(`${s.from ?? '2024-01-01'}T00:00:00Z`),
    notAfter: new Date(`${s.to ?? '2030-01-01'}T00:00:00Z`),
    signingAlgorithm: EC,
    publicKey: s.subjectKeys.publicKey,
    signingKey: s.issuerKeys.privateKey,
    extensions: [...ext, ...(s.extra ?? [])],
  });
  return new Uint8Array(c.rawData);
}

const root = (cn: string, k: Keys, more: Partial<Spec> = {}) =>
  cert({ subject: cn, issuer: cn, subjectKeys: k, issuerKeys: k, ...more });
const leafOf = (issuer: string, issuerKeys: Keys, k: Keys, more: Partial<Spec> = {}) =>
  cert({ subject: 'Leaf', issuer, subjectKeys: k, issuerKeys, ca: false, ...more });

describe('certification path building', () => {
  let kA: Keys, kB: Keys, kR: Keys, kL: Keys;
  beforeAll(async () => {
    x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    [kA, kB, kR, kL] = await Promise.all([keys(), keys(), keys(), keys()]);
  });

  it('two cross-signed CAs (A signs B, B signs A) with an unrelated anchor: untrusted, with the loop named', async () => {
    const aByB = await cert({ subject: 'A', issuer: 'B', subjectKeys: kA, issuerKeys: kB });
    const bByA = await cert({ subject: 'B', issuer: 'A', subjectKeys: kB, issuerKeys: kA });
    const leaf = await leafOf('B', kB, kL);
    const r = await validateChain(leaf, {
      anchors: [await root('Other Root', kR)],
      intermediates: [aByB, bByA],
      at: AT,
    });
    expect(r.status).toBe('untrusted');
    expect(r.message).toMatch(/already in the path \(a loop of cross-signed or self-issued certificates\)/);
  });

  it('the same pair with one of them as the anchor: chained through the other', async () => {
    const aByB = await cert({ subject: 'A', issuer: 'B', subjectKeys: kA, issuerKeys: kB });
    const bByA = await cert({ subject: 'B', issuer: 'A', subjectKeys: kB, issuerKeys: kA });
    const leaf = await leafOf('B', kB, kL);
    const r = await validateChain(leaf, { anchors: [aByB], intermediates: [aByB, bByA, leaf], at: AT });
    expect(r).toEqual({
      status: 'chained',
      path: [name('Leaf'), name('B'), name('A')],
      message: `chains to ${name('A')}`,
    });
    const viaB = await validateChain(leaf, { anchors: [bByA], intermediates: [aByB, bByA], at: AT });
    expect(viaB.path).toEqual([name('Leaf'), name('B')]);
  });

  it('self-loops end untrusted: a self-signed CA that is no anchor, a self-issued CA whose AKI names another key', async () => {
    const selfSigned = await root('Loop', kA);
    const leaf = await leafOf('Loop', kA, kL);
    const r = await validateChain(leaf, {
      anchors: [await root('Other Root', kR)],
      intermediates: [selfSigned],
      at: AT,
    });
    expect(r.status).toBe('untrusted');
    expect(r.message).toMatch(/the only issuers of CN=Loop.* are already in the path/);
    const otherKey = await cert({ subject: 'Loop', issuer: 'Loop', subjectKeys: kA, issuerKeys: kB });
    const r2 = await validateChain(leaf, {
      anchors: [await root('Other Root', kR)],
      intermediates: [otherKey],
      at: AT,
    });
    expect(r2.message).toMatch(
      /1 certificate\(s\) named CN=Loop.*, none with the key identifier the authority key identifier of CN=Loop/,
    );
  });

  it(`a path of ${MAX_DEPTH} certificates is chained; one of ${MAX_DEPTH + 1} is refused as too long`, async () => {
    const ks = await Promise.all(Array.from({ length: MAX_DEPTH }, () => keys()));
    const anchor = await root('I0', ks[0]!);
    const inter: Uint8Array[] = [];
    for (let i = 1; i < MAX_DEPTH; i++) {
      inter.push(await cert({ subject: `I${i}`, issuer: `I${i - 1}`, subjectKeys: ks[i]!, issuerKeys: ks[i - 1]! }));
    }
    const leafAt = async (depth: number) => leafOf(`I${depth - 2}`, ks[depth - 2]!, kL);
    const ten = await validateChain(await leafAt(MAX_DEPTH), { anchors: [anchor], intermediates: inter, at: AT });
    expect(ten.status).toBe('chained');
    expect(ten.path).toHaveLength(MAX_DEPTH);
    const eleven = await validateChain(await leafAt(MAX_DEPTH + 1), {
      anchors: [anchor],
      intermediates: inter,
      at: AT,
    });
    expect(eleven.status).toBe('untrusted');
    expect(eleven.message).toMatch(new RegExp(`a path would be longer than ${MAX_DEPTH} certificates`));
  });

  it('pathLenConstraint: a root allowing 0 intermediates refuses one, a root allowing 1 accepts it', async () => {
    const inter = await cert({ subject: 'Sub CA', issuer: 'PL Root', subjectKeys: kA, issuerKeys: kR });
    const leaf = await leafOf('Sub CA', kA, kL);
    const strict = await validateChain(leaf, {
      anchors: [await root('PL Root', kR, { pathLen: 0 })],
      intermediates: [inter],
      at: AT,
    });
    expect(strict.status).toBe('untrusted');
    expect(strict.message).toMatch(
      /PL Root.* allows 0 intermediate CA certificate\(s\) below it \(pathLenConstraint\), the path has 1/,
    );
    const lax = await validateChain(leaf, {
      anchors: [await root('PL Root', kR, { pathLen: 1 })],
      intermediates: [inter],
      at: AT,
    });
    expect(lax.status).toBe('chained');
  });

  it('an issuer without cA=true (or without basicConstraints) is refused', async () => {
    const anchor = await root('CA Root', kR);
    for (const ca of [false, null]) {
      const notCa = await cert({ subject: 'Not A CA', issuer: 'CA Root', subjectKeys: kA, issuerKeys: kR, ca });
      const leaf = await leafOf('Not A CA', kA, kL);
      const r = await validateChain(leaf, { anchors: [anchor], intermediates: [notCa], at: AT });
      expect(r.status).toBe('untrusted');
      expect(r.message).toMatch(/Not A CA.* is not a CA certificate \(basicConstraints cA is not true\)/);
    }
  });

  it('keyUsage without keyCertSign, and an unknown critical extension, are refused', async () => {
    const anchor = await root('KU Root', kR);
    const ca = { subject: 'KU CA', issuer: 'KU Root', subjectKeys: kA, issuerKeys: kR };
    const via = (...intermediates: Uint8Array[]) => validateChain(leaf, { anchors: [anchor], intermediates, at: AT });
    const noSign = await cert({ ...ca, keyUsage: x509.KeyUsageFlags.digitalSignature });
    const leaf = await leafOf('KU CA', kA, kL);
    expect((await via(noSign)).message).toMatch(/key usage does not include keyCertSign/);
    const odd = await cert({ ...ca, extra: [new x509.Extension('1.3.6.1.4.1.99999.7', true, new Uint8Array([5, 0]))] });
    expect((await via(odd)).message).toMatch(
      /critical extension\(s\) Sealdesk does not process: 1\.3\.6\.1\.4\.1\.99999\.7/,
    );
    const good = await cert({ ...ca, keyUsage: x509.KeyUsageFlags.keyCertSign });
    expect((await via(noSign, odd, good)).status).toBe('chained');
  });

  it('a wrong signature and an expired issuer are refused; the right candidate among them is found', async () => {
    const anchor = await root('Sig Root', kR);
    // names Sig Root (and its key identifier), signed by B
    const forged = await cert({ subject: 'Sig CA', issuer: 'Sig Root', subjectKeys: kA, issuerKeys: kB, akiKeys: kR });
    const leaf = await leafOf('Sig CA', kA, kL);
    const bad = await validateChain(leaf, { anchors: [anchor], intermediates: [forged], at: AT });
    expect(bad.message).toMatch(/the signature on CN=Sig CA.* does not verify with the key of CN=Sig Root/);
    const expired = await cert({
      subject: 'Sig CA',
      issuer: 'Sig Root',
      subjectKeys: kA,
      issuerKeys: kR,
      from: '2020-01-01',
      to: '2025-01-01',
    });
    const old = await validateChain(leaf, { anchors: [anchor], intermediates: [expired], at: AT });
    expect(old.message).toMatch(/CN=Sig CA.* is not valid at 2026-06-01/);
    const right = await cert({ subject: 'Sig CA', issuer: 'Sig Root', subjectKeys: kA, issuerKeys: kR });
    expect(
      (await validateChain(leaf, { anchors: [anchor], intermediates: [forged, expired, right], at: AT })).status,
    ).toBe('chained');
  });

  it(`tries at most ${MAX_CANDIDATES} issuer candidates per certificate and says so`, async () => {
    const anchor = await root('Many Root', kR);
    // twelve CAs of the same name, none holding the key that signed the leaf (which names no key identifier)
    const decoy = async () =>
      cert({ subject: 'Many CA', issuer: 'Many Root', subjectKeys: await keys(), issuerKeys: kR });
    const decoys = await Promise.all(Array.from({ length: 12 }, decoy));
    const leaf = await cert({
      subject: 'Leaf',
      issuer: 'Many CA',
      subjectKeys: kL,
      issuerKeys: kA,
      ca: false,
      akiKeys: null,
    });
    const r = await validateChain(leaf, { anchors: [anchor], intermediates: decoys, at: AT });
    expect(r.status).toBe('untrusted');
    expect(r.message).toMatch(/does not verify/);
    expect(r.message).toMatch(
      new RegExp(`12 candidate issuers for CN=Leaf.*: only the first ${MAX_CANDIDATES} were tried`),
    );
  });

  it('a leaf that is itself a CA anchor is chained; trust.ts still tells self-signed from untrusted', async () => {
    const self = await root('Self', kA);
    expect(await validateChain(self, { anchors: [self], at: AT })).toMatchObject({
      status: 'chained',
      path: [name('Self')],
    });
    expect(
      (await evaluateTrust(self, { anchors: [await root('Other Root', kR)], intermediates: [], at: AT })).trust,
    ).toBe('self_signed');
    const leaf = await leafOf('Nobody', kB, kL);
    const r = await evaluateTrust(leaf, { anchors: [await root('Other Root', kR)], intermediates: [], at: AT });
    expect(r.trust).toBe('untrusted');
    expect(r.message).toMatch(/no certificate given is the issuer of CN=Leaf.* \(CN=Nobody/);
  });

  it('name constraints (left to pkijs, on the one chosen path): a subject outside the permitted subtree is refused', async () => {
    // NameConstraints { permittedSubtrees [0] { GeneralSubtree { directoryName [4] { O=Sealdesk Chain Tests } } } }
    const permitted = (o: string) => {
      const n = new Uint8Array(new x509.Name(`O=${o}`).toArrayBuffer());
      return new x509.Extension('2.5.29.30', true, tlv(0x30, tlv(0xa0, tlv(0x30, tlv(0xa4, n)))));
    };
    const inside = await root('NC Root', kR, { extra: [permitted('Sealdesk Chain Tests')] });
    const leaf = await leafOf('NC Root', kR, kL);
    expect((await validateChain(leaf, { anchors: [inside], at: AT })).status).toBe('chained');
    const elsewhere = await cert({
      subject: 'NC CA',
      issuer: 'NC Root',
      subjectKeys: kA,
      issuerKeys: kR,
      extra: [permitted('Elsewhere')],
    });
    const leaf2 = await leafOf('NC CA', kA, kL);
    const r = await validateChain(leaf2, { anchors: [await root('NC Root', kR)], intermediates: [elsewhere], at: AT });
    expect(r.status).toBe('untrusted');
    expect(r.message).toMatch(/name constraints or certificate policies: .*name constraint/i);
  });

  it('unreadable candidates are skipped and an unreadable leaf is untrusted, not a throw', async () => {
    const anchor = await root('Junk Root', kR);
    const leaf = await leafOf('Junk Root', kR, kL);
    const anchors = [anchor, Uint8Array.of(0x30, 0x00)];
    const junk = await validateChain(leaf, { anchors, intermediates: [Uint8Array.of(1, 2, 3)], at: AT });
    expect(junk.status).toBe('chained');
    expect((await validateChain(Uint8Array.of(0x30, 0x03, 1, 2), { anchors: [anchor], at: AT })).message).toMatch(
      /cannot be read/,
    );
  });
});
