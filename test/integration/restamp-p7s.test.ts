// CAdES B-LTA from the CLI: `restamp <op>` adds validation data and an archive-time-stamp-v3 (ETSI EN 319 122-1
// §5.5.3) to a detached .p7s in place. OpenSSL judges the seal and each archive token against a digest this test
// computes with its own small ATSv3 implementation (asn1js for parsing only), so two implementations must agree;
// `chain --export` gives each link's token and the bytes it covers, for `openssl ts -verify` alone.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliRunner, cliWithTsas } from '../helpers/cli.js';
import { startRevocationServer, type RevocationServer } from '../helpers/ocsp-responder.js';
import { openssl, tsVerify } from '../helpers/openssl.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('restamp-p7s');
let pki: TestPki;
let rev: RevocationServer;
let one: LoopbackTsa;
let two: LoopbackTsa;
let sealdesk: ReturnType<typeof cliRunner>;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  rev = await startRevocationServer(pki);
  one = await startTsa({ pki });
  two = await startTsa({ pki, signer: 'tsaEc' });
  sealdesk = await cliWithTsas(
    { SEALDESK_HOME: join(work.path, 'home'), SEALDESK_TSA_TIMEOUT_MS: '1500' },
    { one: { url: one.url, name: 'TSA One' }, two: { url: two.url, name: 'TSA Two' } },
  );
});
afterAll(async () => {
  await one.close();
  await two.close();
  await rev.close();
  work.remove();
});

// ---- The test's own reading of EN 319 122-1 §5.5.2–5.5.3 (independent of core/cms) ----
type Node = asn1js.AsnType & { valueBlock: { value?: Node[] } };
const bytes = (n: asn1js.AsnType) => Buffer.from(n.valueBeforeDecodeView);
const kids = (n: asn1js.AsnType) => (n as Node).valueBlock.value ?? [];
const isCtx = (n: asn1js.AsnType, tag: number) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === tag;
const sha = (alg: string, ...parts: Buffer[]) => createHash(alg).update(Buffer.concat(parts)).digest();

function der(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const len =
    n < 128
      ? Buffer.from([n])
      : (() => {
          const b: number[] = [];
          for (let v = n; v > 0; v >>= 8) b.unshift(v & 0xff);
          return Buffer.from([0x80 | b.length, ...b]);
        })();
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

function parts(p7s: Uint8Array) {
  const ci = asn1js.fromBER(new Uint8Array(p7s).buffer).result;
  const sd = kids(kids(ci)[1]!)[0]!;
  const fields = kids(sd);
  const signerInfo = kids(fields.at(-1)!)[0]!;
  return {
    ci,
    sd,
    fields,
    certs: fields.find((f) => isCtx(f, 0)),
    crls: fields.find((f) => isCtx(f, 1)),
    signerInfo,
    si: kids(signerInfo),
  };
}

/** The ATSv3 hash index and digest for the last archive time-stamp of `p7s`, over the state before it was added. */
const HASH_OID_TLV: Record<string, string> = { sha256: '0609608648016503040201', sha512: '0609608648016503040203' };

function ourAtsV3(p7s: Uint8Array, content: Buffer, alg: 'sha256' | 'sha512' = 'sha512') {
  const p = parts(p7s);
  const attrs = kids(p.si[6]!);
  const earlier = attrs.slice(0, -1); // the archive time-stamp being checked was not there when it was made
  const certHashes = kids(p.certs!).map((c) => sha(alg, bytes(c)));
  const crlHashes = p.crls ? kids(p.crls).map((c) => sha(alg, bytes(c))) : [];
  const attrHashes = earlier.flatMap((a) => kids(kids(a)[1]!).map((v) => sha(alg, bytes(kids(a)[0]!), bytes(v))));
  const seqOfOctets = (hs: Buffer[]) => der(0x30, Buffer.concat(hs.map((h) => der(0x04, h))));
  const index = der(
    0x30,
    Buffer.concat([
      der(0x30, Buffer.from(HASH_OID_TLV[alg]!, 'hex')),
      seqOfOctets(certHashes),
      seqOfOctets(crlHashes),
      seqOfOctets(attrHashes),
    ]),
  );
  const eContentType = kids(p.fields[2]!)[0]!;
  const digest = sha(alg, bytes(eContentType), sha(alg, content), ...p.si.slice(0, 6).map(bytes), index);
  const last = attrs.at(-1)!;
  return {
    index,
    digestHex: digest.toString('hex'),
    lastType: (kids(last)[0] as asn1js.ObjectIdentifier).valueBlock.toString(),
    token: bytes(kids(kids(last)[1]!)[0]!),
    certCount: certHashes.length,
    crlCount: crlHashes.length,
  };
}

/** The ats-hash-index-v3 value the token carries in its own SignerInfo's unsigned attributes. */
function tokenHashIndex(token: Buffer): Buffer {
  const unsigned = parts(token).si[6]!;
  const attr = kids(unsigned).find(
    (a) => (kids(a)[0] as asn1js.ObjectIdentifier).valueBlock.toString() === '0.4.0.19122.1.5',
  )!;
  return bytes(kids(kids(attr)[1]!)[0]!);
}

function withoutCertificate(p7s: Uint8Array, cert: Uint8Array): Buffer {
  const p = parts(p7s);
  const kept = kids(p.certs!).filter((c) => !bytes(c).equals(Buffer.from(cert)));
  expect(kept).toHaveLength(kids(p.certs!).length - 1);
  const sd = der(
    0x30,
    Buffer.concat(p.fields.map((f) => (f === p.certs ? der(0xa0, Buffer.concat(kept.map(bytes))) : bytes(f)))),
  );
  return der(0x30, Buffer.concat([bytes(kids(p.ci)[0]!), der(0xa0, sd)]));
}

async function cmsVerify(p7s: string, content: string): Promise<boolean> {
  const r = await openssl([
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    p7s,
    '-content',
    content,
    '-CAfile',
    pki.caFile,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  ]);
  return r.code === 0 && /Verification successful/.test(r.stderr);
}

it('restamp twice: B-T → B-LTA with two archive-time-stamp-v3 that OpenSSL and our own ATSv3 digest agree on; verify, chain, tampering', async () => {
  const doc = join(work.path, 'ledger.xlsx');
  writeFileSync(doc, `quarterly figures ${Math.random()}\n`);
  const sealed = await sealdesk(
    'seal',
    doc,
    '--key',
    rev.signer.keyPath,
    '--chain',
    rev.signer.chainPath,
    '--tsa',
    'one',
    '--json',
  );
  expect(sealed.code, sealed.stderr).toBe(0);
  const { operationId, p7sPath } = sealed.json();
  const original = readFileSync(p7sPath);
  const signerFields = Buffer.concat(parts(original).si.slice(0, 6).map(bytes));

  const snapshots: Buffer[] = [];
  for (const expected of ['TSA Two', 'TSA One']) {
    // OpenSSL's responder times its answers to the second: two restamps in one second would get identical bytes
    if (snapshots.length > 0) await new Promise((resolve) => setTimeout(resolve, 1100));
    const r = await sealdesk('restamp', operationId, '--allow-private-network', '--json'); // its OCSP responder is on loopback
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual({
      id: operationId,
      format: 'cades',
      tsaName: expected,
      outputPath: p7sPath,
      level: 'B-LTA',
    }); // auto: not the previous TSA
    snapshots.push(readFileSync(p7sPath));
  }
  const final = snapshots[1]!;
  expect(final.includes(signerFields)).toBe(true); // the signed attributes and the signature are byte-identical
  expect(await cmsVerify(p7sPath, doc)).toBe(true);
  const printed = await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', p7sPath]);
  expect(printed.code, printed.stderr).toBe(0);
  expect(printed.stdout.match(/0\.4\.0\.1733\.2\.4/g)).toHaveLength(2);

  const content = readFileSync(doc);
  const tsaCerts = [pki.tsaEc.certPath, pki.tsa.certPath];
  for (const [k, snapshot] of snapshots.entries()) {
    const ours = ourAtsV3(snapshot, content);
    expect(ours.lastType).toBe('0.4.0.1733.2.4');
    expect(tokenHashIndex(ours.token).equals(ours.index)).toBe(true);
    expect(final.includes(ours.token)).toBe(true); // a later restamp leaves the earlier token as it was
    const tokenPath = join(work.path, `ats-${k + 1}.der`);
    writeFileSync(tokenPath, ours.token);
    expect(
      (
        await tsVerify({
          digestHex: ours.digestHex,
          tsr: tokenPath,
          tokenIn: true,
          caFile: pki.caFile,
          untrusted: tsaCerts[k],
        })
      ).ok,
    ).toBe(true);
    const flipped = ours.digestHex.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(
      (
        await tsVerify({
          digestHex: flipped,
          tsr: tokenPath,
          tokenIn: true,
          caFile: pki.caFile,
          untrusted: tsaCerts[k],
        })
      ).ok,
    ).toBe(false);
  }
  // B-LT before each ATS: the TSAs' certificates joined the signer's chain, the signer's OCSP response sits in crls —
  // each restamp asks the responder again (an answer cached before it is not reused), so the second adds its own.
  expect(ourAtsV3(snapshots[0]!, content)).toMatchObject({ certCount: 3, crlCount: 1 });
  expect(ourAtsV3(snapshots[1]!, content)).toMatchObject({ certCount: 4, crlCount: 2 });

  const v = await sealdesk('verify', doc, '--p7s', p7sPath, '--trust', pki.caFile, '--json');
  expect(v.code, JSON.stringify(v.json().cades?.problems)).toBe(0);
  const cades = v.json().cades;
  expect(cades).toMatchObject({
    indication: 'TOTAL-PASSED',
    valid: true,
    revocation: { status: 'good', source: 'cms' },
    signatureTimestamp: { valid: true },
  });
  expect(cades.archiveTimestamps).toHaveLength(2);
  expect(
    cades.archiveTimestamps.map((a: { valid: boolean; imprintMatches: boolean; tsa: { trust: string } }) => [
      a.valid,
      a.imprintMatches,
      a.tsa.trust,
    ]),
  ).toEqual([
    [true, true, 'chained'],
    [true, true, 'chained'],
  ]);
  expect(cades.signatureTimestamp.judgedAt).toBe(cades.archiveTimestamps[0].genTime); // judged when the first ATS proves it existed

  // The ledger's trust store is empty yet: every time-stamp sound and covering what it must (intact), no TSA trusted.
  const untrusted = await sealdesk('chain', operationId, '--json');
  expect(untrusted.code, untrusted.stdout).toBe(1);
  expect(untrusted.json()).toMatchObject({ intact: true, trusted: false });
  expect(
    untrusted
      .json()
      .links.map((l: { kind: string; intact: boolean; trusted: boolean; problems: string[] }) => [
        l.kind,
        l.intact,
        l.trusted,
        l.problems,
      ]),
  ).toEqual([
    ['signature-timestamp', true, false, []],
    ['archive-timestamp', true, false, []],
    ['archive-timestamp', true, false, []],
  ]);
  for (const l of untrusted.json().links)
    expect(l.trustProblems.join('; ')).toMatch(/its TSA certificate does not chain to an anchor of the trust store/);
  expect((await sealdesk('chain', operationId)).stdout).toMatch(
    /\nchain intact, but NOT TRUSTED .*; protected until 2040-01-01T00:00:00.000Z \(restamp before then\)\n$/,
  );

  expect((await sealdesk('trust', 'add', pki.caFile)).code).toBe(0); // chain judges against the ledger's trust anchors
  const chain = await sealdesk('chain', operationId, '--json');
  expect(chain.code, chain.stdout).toBe(0);
  const trustedLink = { intact: true, trusted: true, problems: [], trustProblems: [] };
  expect(chain.json()).toMatchObject({
    intact: true,
    trusted: true,
    links: [
      { kind: 'signature-timestamp', ...trustedLink },
      { kind: 'archive-timestamp', madeInTime: true, ...trustedLink },
      { kind: 'archive-timestamp', madeInTime: true, ...trustedLink },
    ],
  });
  expect(chain.json().links).toHaveLength(3);
  const chainText = (await sealdesk('chain', operationId)).stdout;
  expect(chainText.split('\n').filter((line) => /archive-timestamp {2}until 2040-01-01$/.test(line))).toHaveLength(2);
  expect(chainText).toMatch(/\nchain intact; protected until 2040-01-01T00:00:00.000Z \(restamp before then\)\n$/);
  expect(chain.json().protectedUntil).toBe(chain.json().links[2].tsaCertNotAfter);

  const { openLedger, operationFiles } = await import('../../core/ledger/index.js');
  const db = openLedger(join(work.path, 'home', 'ledger.sqlite'));
  const files = operationFiles(db, operationId);
  db.close();
  expect(files.map((f) => [f.level, f.size])).toEqual([
    ['B-T', original.length],
    ['B-LTA', snapshots[0]!.length],
    ['B-LTA', final.length],
  ]);
  expect(files[2]!.sha256).toBe(createHash('sha256').update(final).digest('hex'));

  // Exported, each link checks with OpenSSL alone: link-1 over the signature value, link-2 and link-3 over their §5.5.3
  // concatenation — which our own ATSv3 reading above must hash to the same imprint.
  const dir = join(work.path, 'p7s-chain');
  const exported = await sealdesk('chain', operationId, '--export', dir, '--json');
  expect(exported.code, exported.stdout).toBe(0);
  expect(
    exported.json().exported.map((l: { n: number; token: string; data: string }) => [l.n, l.token, l.data]),
  ).toEqual([1, 2, 3].map((n) => [n, `link-${n}.tst`, `link-${n}.data`]));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  expect(manifest).toMatchObject({ id: operationId, intact: true, trusted: true, content: doc });
  expect(manifest.links.map((l: { kind: string }) => l.kind)).toEqual([
    'signature-timestamp',
    'archive-timestamp',
    'archive-timestamp',
  ]);
  expect(manifest.check).toEqual(
    [1, 2, 3].map(
      (n) => `openssl ts -verify -token_in -in link-${n}.tst -data link-${n}.data -CAfile <the TSA's CA>.pem`,
    ),
  );
  const link = (n: number, ext: 'tst' | 'data') => join(dir, `link-${n}.${ext}`);
  for (const n of [1, 2, 3])
    expect(
      (await tsVerify({ data: link(n, 'data'), tsr: link(n, 'tst'), tokenIn: true, caFile: pki.caFile })).ok,
      `link ${n}`,
    ).toBe(true);
  expect((await tsVerify({ data: link(3, 'data'), tsr: link(2, 'tst'), tokenIn: true, caFile: pki.caFile })).ok).toBe(
    false,
  );
  const signature = parts(final).si[5] as asn1js.OctetString;
  expect(readFileSync(link(1, 'data')).equals(Buffer.from(signature.valueBlock.valueHexView))).toBe(true);
  for (const [k, snapshot] of snapshots.entries()) {
    const ours = ourAtsV3(snapshot, content);
    const data = readFileSync(link(k + 2, 'data'));
    expect(readFileSync(link(k + 2, 'tst')).equals(ours.token)).toBe(true);
    expect(sha('sha512', data).toString('hex')).toBe(ours.digestHex);
    // The content's hash sits where the manifest says, and is what `openssl dgst` prints for the content file.
    const at = manifest.exported[k + 1].contentHash;
    expect(at).toMatchObject({
      algorithm: 'sha512',
      offset: 11,
      length: 64,
      hex: sha('sha512', content).toString('hex'),
      compare: `openssl dgst -sha512 ${doc}`,
    });
    expect(data.subarray(at.offset, at.offset + at.length).toString('hex')).toBe(at.hex);
    expect((await openssl(['dgst', '-sha512', doc])).stdout).toContain(at.hex);
  }
  expect(manifest.exported[0].contentHash).toBeUndefined();
  // Never over an earlier export: a folder holding link-1.tst is refused, and nothing in it is written or changed.
  const busy = join(work.path, 'p7s-chain-busy');
  mkdirSync(busy);
  writeFileSync(join(busy, 'link-1.tst'), 'an earlier export');
  expect((await sealdesk('chain', operationId, '--export', busy, '--json')).json()).toMatchObject({
    code: 'OUTPUT_EXISTS',
  });
  expect(readdirSync(busy)).toEqual(['link-1.tst']);
  expect(readFileSync(join(busy, 'link-1.tst'), 'utf8')).toBe('an earlier export');
  // One byte of the sealed file flipped: the export is refused (no data that would only fail later), nothing written.
  writeFileSync(doc, Buffer.concat([content.subarray(0, 3), Buffer.from([content[3]! ^ 1]), content.subarray(4)]));
  const refusedExport = await sealdesk(
    'chain',
    operationId,
    '--export',
    join(work.path, 'p7s-chain-flipped'),
    '--json',
  );
  expect(refusedExport.json()).toMatchObject({
    code: 'SIGNATURE_BROKEN',
    message: expect.stringMatching(/not the file that was sealed/),
  });
  expect(existsSync(join(work.path, 'p7s-chain-flipped'))).toBe(false);
  writeFileSync(doc, content);

  // One byte of the content changed: the signature's digest and both archive imprints fail.
  const changed = join(work.path, 'changed.xlsx');
  writeFileSync(changed, Buffer.concat([content.subarray(0, 3), Buffer.from([content[3]! ^ 1]), content.subarray(4)]));
  const bad = await sealdesk('verify', changed, '--p7s', p7sPath, '--trust', pki.caFile, '--json');
  expect(bad.code).toBe(1);
  expect(bad.json().cades).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  expect(
    bad
      .json()
      .cades.archiveTimestamps.map((a: { valid: boolean; imprintMatches: boolean }) => [a.valid, a.imprintMatches]),
  ).toEqual([
    [false, false],
    [false, false],
  ]);

  // A certificate both archive time-stamps cover removed afterwards: the signature still verifies, the ATSs do not match.
  const stripped = join(work.path, 'stripped.p7s');
  writeFileSync(stripped, withoutCertificate(final, pki.root.der));
  expect(await cmsVerify(stripped, doc)).toBe(true);
  const s = await sealdesk('verify', doc, '--p7s', stripped, '--trust', pki.caFile, '--json');
  expect(s.code).toBe(1);
  expect(s.json().cades).toMatchObject({ intact: true, hashMatch: true, indication: 'INDETERMINATE' });
  expect(s.json().cades.archiveTimestamps.map((a: { imprintMatches: boolean }) => a.imprintMatches)).toEqual([
    false,
    false,
  ]);
  expect(s.json().cades.problems.join('\n')).toMatch(/archive time-stamp 1 .*certificate/);

  // The .p7s edited on disk: restamp refuses and leaves it byte-identical.
  writeFileSync(p7sPath, Buffer.concat([final, Buffer.from([0])]));
  const edited = readFileSync(p7sPath);
  const refused = await sealdesk('restamp', operationId, '--json');
  expect(refused.code).not.toBe(0);
  expect(refused.json()).toMatchObject({ code: 'OUTPUT_CHANGED' });
  expect(readFileSync(p7sPath).equals(edited)).toBe(true);
  // An older, well-formed version put back: the chain reads it, but the export refuses what the ledger did not record last.
  writeFileSync(p7sPath, snapshots[0]!);
  expect(
    (await sealdesk('chain', operationId, '--export', join(work.path, 'p7s-chain-older'), '--json')).json(),
  ).toMatchObject({ code: 'OUTPUT_CHANGED' });
  expect(existsSync(join(work.path, 'p7s-chain-older'))).toBe(false);
});

it('restamp refuses when the sealed content is not the file the ledger knows, and leaves the .p7s alone', async () => {
  const doc = join(work.path, 'minutes.txt');
  writeFileSync(doc, `minutes ${Math.random()}\n`);
  const sealed = (
    await sealdesk('seal', doc, '--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--json')
  ).json();
  const before = readFileSync(sealed.p7sPath);
  writeFileSync(doc, 'minutes, rewritten\n');
  const r = await sealdesk('restamp', sealed.operationId, '--json');
  expect(r.json()).toMatchObject({
    code: 'SIGNATURE_BROKEN',
    message: expect.stringMatching(/not the file that was sealed/),
  });
  expect(readFileSync(sealed.p7sPath).equals(before)).toBe(true);
  // A revoked signer certificate: no archive time-stamp over it.
  const other = join(work.path, 'revoked.txt');
  writeFileSync(other, `signed by a revoked key ${Math.random()}\n`);
  const bad = (
    await sealdesk('seal', other, '--key', rev.revoked.keyPath, '--chain', rev.revoked.chainPath, '--json')
  ).json();
  const p7s = readFileSync(bad.p7sPath);
  expect((await sealdesk('restamp', bad.operationId, '--allow-private-network', '--json')).json()).toMatchObject({
    code: 'CERT_REVOKED',
  });
  expect(readFileSync(bad.p7sPath).equals(p7s)).toBe(true);
});

it('restamp --tsa <slug> uses that TSA and its hash (SHA-256 here) for the imprint and the hash index; a B-B seal goes straight to B-LTA', async () => {
  const three = await startTsa({ pki });
  try {
    expect((await sealdesk('tsa', 'add', 'three', three.url, '--name', 'TSA Three', '--hash', 'sha256')).code).toBe(0);
    const doc = join(work.path, 'deed.txt');
    writeFileSync(doc, `deed ${Math.random()}\n`);
    const sealed = (
      await sealdesk(
        'seal',
        doc,
        '--key',
        pki.signer.keyPath,
        '--chain',
        pki.signer.chainPath,
        '--tsa',
        'none',
        '--json',
      )
    ).json();
    const r = await sealdesk('restamp', sealed.operationId, '--tsa', 'three');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `${sealed.operationId}: ${sealed.p7sPath} restamped (archive time-stamp by TSA Three, validation data refreshed)\n`,
    );
    const after = readFileSync(sealed.p7sPath);
    const ours = ourAtsV3(after, readFileSync(doc), 'sha256');
    expect(tokenHashIndex(ours.token).equals(ours.index)).toBe(true);
    writeFileSync(join(work.path, 'ats-256.der'), ours.token);
    expect(
      (
        await tsVerify({
          digestHex: ours.digestHex,
          tsr: join(work.path, 'ats-256.der'),
          tokenIn: true,
          caFile: pki.caFile,
          untrusted: pki.tsa.certPath,
        })
      ).ok,
    ).toBe(true);
    expect(await cmsVerify(sealed.p7sPath, doc)).toBe(true);
    const v = await sealdesk('verify', doc, '--p7s', sealed.p7sPath, '--trust', pki.caFile, '--json');
    expect(v.code, JSON.stringify(v.json().cades?.problems)).toBe(0);
    expect(v.json().cades).toMatchObject({
      signatureTimestamp: null,
      archiveTimestamps: [{ n: 1, hashAlgorithm: 'sha256', imprintMatches: true, valid: true }],
    });
  } finally {
    await three.close();
  }
});

it('sealed two days before the restamp: the OCSP answer fetched at the restamp, issued after the signature time-stamp, shows the signer was not revoked then', async () => {
  const past = await startTsa({ pki, clockOffset: '-2d' }); // an OpenSSL TSA whose clock runs two days behind (libfaketime)
  try {
    expect((await sealdesk('tsa', 'add', 'past', past.url, '--name', 'TSA Past')).code).toBe(0);
    const doc = join(work.path, 'old.txt');
    writeFileSync(doc, `an old contract ${Math.random()}\n`);
    const sealed = (
      await sealdesk(
        'seal',
        doc,
        '--key',
        rev.signer.keyPath,
        '--chain',
        rev.signer.chainPath,
        '--tsa',
        'past',
        '--json',
      )
    ).json();
    const bt = (await sealdesk('verify', doc, '--p7s', sealed.p7sPath, '--trust', pki.caFile, '--json')).json().cades;
    expect(bt).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
      revocation: { status: 'missing' },
    }); // B-T carries no revocation data
    const signedAt = new Date(bt.timestamp.genTime).getTime();
    expect(Date.now() - signedAt).toBeGreaterThan(86_400_000);
    expect(
      (await sealdesk('restamp', sealed.operationId, '--tsa', 'one', '--allow-private-network', '--json')).code,
    ).toBe(0);
    const v = await sealdesk('verify', doc, '--p7s', sealed.p7sPath, '--trust', pki.caFile, '--json');
    expect(v.code, JSON.stringify(v.json().cades?.problems)).toBe(0);
    expect(v.json().cades).toMatchObject({
      indication: 'TOTAL-PASSED',
      revocation: {
        status: 'good',
        source: 'cms',
        detail: expect.stringMatching(/^not revoked \(OCSP in the signature, issued 20\d\d-/),
      },
    });
    expect(v.json().cades.signatureTimestamp.judgedAt).toBe(v.json().cades.archiveTimestamps[0].genTime);
  } finally {
    await past.close();
  }
});

// EU DSS's own CAdES-LTA test signatures (esig/dss, LGPL-2.1), when a checkout is given: SEALDESK_DSS_VALIDATION=
// <dss>/dss-cades/src/test/resources/validation. Expectations follow DSS's own tests (imprint intact, hash index valid).
const dss = process.env.SEALDESK_DSS_VALIDATION;
it.skipIf(!dss)(
  'reads EU DSS archive time-stamps as DSS does: v3 and TS 101 733 hash indexes match, broken hash indexes and copied tokens do not',
  async () => {
    const { verifyCades } = await import('../../core/validation/cades-report.js');
    const cases: [string, string | null, boolean[], RegExp?][] = [
      ['CAdESDoubleLTA.p7m', null, [true, true]],
      ['Signature-C-B-LTA-10.p7m', null, [true]],
      ['cades-lta-duplicated-atst.p7m', null, [true, true]],
      ['cades_signeddata_extended_after_lta.p7m', null, [true, true]],
      ['counterSignedLTA.p7s', null, [true]],
      ['cades-ats-v3-wrong-cert.p7m', null, [false], /certificate\(s\) it covers/],
      ['cades-ats-v3-wrong-ocsp.p7s', null, [false], /revocation value\(s\) it covers/],
      ['cades-ats-v3-rev-val-crl.p7s', 'dss-1469/screenshot2.png', [false], /revocation value\(s\) it covers/],
      ['cades-lta-copied-atst.p7m', null, [false], /no ats-hash-index/],
      ['dss-1220/CAdES-BpLTA_modified_ats_hash_element.p7m', null, [false], /does not match the ATSv3 hash/],
    ];
    for (const [file, content, matches, why] of cases) {
      const der = new Uint8Array(readFileSync(join(dss!, file)));
      const digestContent = content
        ? async (alg: string) =>
            new Uint8Array(
              createHash(alg)
                .update(readFileSync(join(dss!, content)))
                .digest(),
            )
        : undefined;
      const r = await verifyCades(der, { now: new Date(), digestContent });
      expect(r.hashMatch, file).toBe(true);
      expect(
        r.archiveTimestamps.map((a) => a.imprintMatches),
        file,
      ).toEqual(matches);
      if (why) expect(r.archiveTimestamps[0]!.problems.join('; '), file).toMatch(why);
    }
  },
);
