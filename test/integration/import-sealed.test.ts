// `sealdesk import` of seals made elsewhere: a PDF signed by pdfsig and a .p7s made by `openssl cms -sign -cades`
// join the ledger once each, only when intact; an imported PDF then restamps to PAdES-LTA and pdfsig still
// validates the signature it came with.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { openssl } from '../helpers/openssl.js';
import { addNssSigner, createNssDb, pdfsigAddSignature, pdfsigVerify, qpdfCheck } from '../helpers/pdf-judges.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('import-sealed');
let pki: TestPki;
let tsa: LoopbackTsa;
let nss: string;
let sealdesk: ReturnType<typeof cliRunner>;
const dir = join(work.path, 'records');

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  nss = await createNssDb(pki.root.certPath);
  await addNssSigner(nss, pki.signer, 'outside');
  sealdesk = cliRunner({ SEALDESK_HOME: join(work.path, 'home'), SEALDESK_TSA_TIMEOUT_MS: '2000' });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url, '--name', 'Loop TSA')).code).toBe(0);
  expect((await sealdesk('trust', 'add', pki.root.certPath)).code).toBe(0);
});
afterAll(async () => {
  await tsa.close();
  work.remove();
});

it('a PDF signed by pdfsig: imported once (B-B, TOTAL-PASSED), restamped to B-LTA in place, pdfsig still validates its signature', async () => {
  const plain = writeMinimalPdf(join(work.path, 'contract.pdf'), { text: 'Signed elsewhere' });
  const signed = join(dir, 'contract-signed.pdf');
  await pdfsigAddSignature(nss, 'outside', plain, signed, 'signed by another tool');
  const before = readFileSync(signed);

  const r = await sealdesk('import', signed, '--json');
  expect(r.code, r.stderr).toBe(0);
  const [imported] = r.json();
  expect(imported).toMatchObject({
    kind: 'seal',
    path: signed,
    already: false,
    format: 'pades',
    level: 'B-B',
    indication: 'TOTAL-PASSED',
    signatures: 1,
  });
  expect(imported.signer).toContain('Sealdesk Test Seal RSA');
  expect(readFileSync(signed).equals(before)).toBe(true); // importing reads, never writes
  expect((await sealdesk('import', signed, '--json')).json()[0]).toMatchObject({ id: imported.id, already: true });
  const ops = (await sealdesk('operations', '--json')).json();
  expect(JSON.stringify(ops)).toContain(imported.id);

  const re = await sealdesk('restamp', imported.id, '--json');
  expect(re.code, re.stderr).toBe(0);
  expect(re.json()).toMatchObject({
    id: imported.id,
    format: 'pades',
    tsaName: 'Loop TSA',
    outputPath: signed,
    level: 'B-LTA',
  });
  const after = readFileSync(signed);
  expect(after.subarray(0, before.length).equals(before)).toBe(true); // appended: every earlier byte kept
  expect((await pdfsigVerify(signed, nss))[0]).toMatchObject({ signatureValid: true, certificateTrusted: true });
  expect((await qpdfCheck(signed)).ok).toBe(true);
  const v = await sealdesk('verify', signed, '--json');
  expect(v.code, v.stdout).toBe(0);
  expect(v.json().signatures.map((s: { kind: string; indication: string }) => [s.kind, s.indication])).toEqual([
    ['signature', 'TOTAL-PASSED'],
    ['document-timestamp', 'TOTAL-PASSED'],
  ]);
  const chain = await sealdesk('chain', imported.id, '--json');
  expect(chain.code, chain.stdout).toBe(0);
  expect(chain.json()).toMatchObject({
    intact: true,
    trusted: true,
    links: [
      {
        kind: 'document-timestamp',
        tsaName: expect.stringContaining('Sealdesk Test TSA'),
        intact: true,
        trusted: true,
        trustProblems: [],
      },
    ],
  });
  // Its TSA's CA taken out of the trust store: the chain is as intact as before, but not trusted.
  const [anchor] = (await sealdesk('trust', 'list', '--json')).json() as { id: string }[];
  expect((await sealdesk('trust', 'remove', anchor!.id)).code).toBe(0);
  try {
    const untrusted = await sealdesk('chain', imported.id, '--json');
    expect(untrusted.code).toBe(1);
    expect(untrusted.json()).toMatchObject({
      intact: true,
      trusted: false,
      links: [{ kind: 'document-timestamp', intact: true, trusted: false, problems: [] }],
    });
    expect(untrusted.json().links[0].trustProblems).toEqual([
      expect.stringMatching(/^its TSA certificate does not chain to an anchor of the trust store/),
    ]);
  } finally {
    expect((await sealdesk('trust', 'add', pki.root.certPath)).code).toBe(0);
  }
});

it('a PDF whose signed bytes changed, or with no signature, is not imported; in a folder an unsigned PDF is skipped as a document', async () => {
  const plain = writeMinimalPdf(join(work.path, 'memo.pdf'), { text: 'Original memo text' });
  const signed = join(work.path, 'memo-signed.pdf');
  await pdfsigAddSignature(nss, 'outside', plain, signed);
  const bytes = readFileSync(signed);
  const at = bytes.indexOf('Original memo text');
  bytes[at] = 'X'.charCodeAt(0);
  const tampered = join(work.path, 'memo-tampered.pdf');
  writeFileSync(tampered, bytes);
  const bad = await sealdesk('import', tampered, '--json');
  expect(bad.code).toBe(2);
  expect(bad.json()[0]).toMatchObject({ code: 'SIGNATURE_BROKEN', path: tampered });
  expect((await sealdesk('import', plain, '--json')).json()[0]).toMatchObject({ code: 'NO_SIGNATURE_FOUND' });

  const folder = join(work.path, 'folder');
  mkdirSync(folder);
  copyFileSync(plain, join(folder, 'memo.pdf'));
  copyFileSync(signed, join(folder, 'memo-signed.pdf'));
  const f = await sealdesk('import', folder, '--json');
  expect(f.code, f.stderr).toBe(0);
  expect(f.json()).toEqual(
    [
      { path: join(folder, 'memo-signed.pdf'), ...expectSeal },
      { path: join(folder, 'memo.pdf'), skipped: true, reason: 'no signature (a document, not a seal)' },
    ].sort((a, b) => a.path.localeCompare(b.path)),
  );
});

const expectSeal = {
  kind: 'seal',
  already: false,
  format: 'pades',
  level: 'B-B',
  indication: 'TOTAL-PASSED',
  signatures: 1,
  id: expect.any(String),
  signer: expect.stringContaining('Sealdesk Test Seal RSA'),
  tsaName: null,
};

it('a .p7s made by openssl cms -cades beside its file: imported once; a changed file or a .p7s without its file is refused', async () => {
  const content = join(dir, 'ledger.csv');
  writeFileSync(content, 'date,amount\n2026-12-01,100\n');
  const p7s = `${content}.p7s`;
  const s = await openssl([
    'cms',
    '-sign',
    '-binary',
    '-in',
    content,
    '-signer',
    pki.signer.certPath,
    '-inkey',
    pki.signer.keyPath,
    '-md',
    'sha256',
    '-nosmimecap',
    '-outform',
    'DER',
    '-out',
    p7s,
    '-cades',
  ]);
  expect(s.code, s.stderr).toBe(0);
  const r = await sealdesk('import', p7s, '--json');
  expect(r.code, r.stderr).toBe(0);
  const [imported] = r.json();
  expect(imported).toMatchObject({
    kind: 'seal',
    path: p7s,
    already: false,
    format: 'cades',
    signer: expect.stringContaining('Sealdesk Test Seal RSA'),
  });
  expect((await sealdesk('import', p7s, '--json')).json()[0]).toMatchObject({ id: imported.id, already: true });

  const other = join(work.path, 'other.csv');
  writeFileSync(other, 'date,amount\n2026-12-01,999\n');
  copyFileSync(p7s, `${other}.p7s`);
  expect((await sealdesk('import', `${other}.p7s`, '--json')).json()[0]).toMatchObject({ code: 'SIGNATURE_BROKEN' });
  copyFileSync(p7s, join(work.path, 'orphan.csv.p7s'));
  expect((await sealdesk('import', join(work.path, 'orphan.csv.p7s'), '--json')).json()[0]).toMatchObject({
    code: 'NOT_FOUND',
  });
});
