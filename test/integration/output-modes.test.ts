// Outputs keep their input's file mode: a 0600 contract's sealed PDF, .p7s and .tsr are 0600 (beside it and --out),
// and a restamp in place keeps the sealed file's mode. Real CLI, loopback OpenSSL TSA.
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWithTsas, type cliRunner } from '../helpers/cli.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('modes');
let pki: TestPki;
let tsa: LoopbackTsa;
let sealdesk: ReturnType<typeof cliRunner>;
const files = join(work.path, 'files');
const mode = (p: string) => statSync(p).mode & 0o777;
const key = () => ['--key', pki.signer.keyPath, '--chain', pki.signer.chainPath];

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  mkdirSync(files);
  sealdesk = await cliWithTsas(
    { SEALDESK_HOME: join(work.path, 'home'), SEALDESK_TSA_TIMEOUT_MS: '1500' },
    { loop: { url: tsa.url, name: 'Loopback TSA' } },
  );
});
afterAll(async () => {
  await tsa.close();
  work.remove();
});

function privateFile(name: string, m = 0o600): string {
  const p = join(files, name);
  if (name.endsWith('.pdf')) writeMinimalPdf(p, { text: name });
  else writeFileSync(p, `contract ${name}`);
  chmodSync(p, m);
  return p;
}

describe('a 0600 input gives 0600 outputs', () => {
  it('PDF: the sealed copy (default name and --out), and its restamp in place', async () => {
    const pdf = privateFile('lease.pdf');
    const r = await sealdesk('seal', pdf, ...key(), '--level', 'B-T', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().outputPath).toBe(join(files, 'lease_sealed.pdf'));
    expect(mode(join(files, 'lease_sealed.pdf'))).toBe(0o600);
    const out = join(files, 'lease-copy.pdf');
    expect((await sealdesk('seal', pdf, ...key(), '--level', 'B-T', '--out', out, '--json')).code).toBe(0);
    expect(mode(out)).toBe(0o600);
    const re = await sealdesk('restamp', r.json().operationId, '--allow-missing-validation-data', '--json');
    expect(re.code, re.stdout + re.stderr).toBe(0);
    expect(mode(join(files, 'lease_sealed.pdf'))).toBe(0o600);
  });

  it('.p7s: beside the file and --out, and its restamp in place', async () => {
    const doc = privateFile('deed.txt');
    const r = await sealdesk('seal', doc, ...key(), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(mode(`${doc}.p7s`)).toBe(0o600);
    const out = join(files, 'deed-copy.p7s');
    expect((await sealdesk('seal', doc, ...key(), '--out', out, '--json')).code).toBe(0);
    expect(mode(out)).toBe(0o600);
    const re = await sealdesk('restamp', r.json().operationId, '--allow-missing-validation-data', '--json');
    expect(re.code, re.stdout + re.stderr).toBe(0);
    expect(mode(`${doc}.p7s`)).toBe(0o600);
  });

  it('.tsr: beside the file and --out, and a restamp link beside it', async () => {
    const doc = privateFile('will.txt');
    const r = await sealdesk('stamp', doc, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(mode(`${doc}.tsr`)).toBe(0o600);
    const out = join(files, 'will-copy.tsr');
    expect((await sealdesk('stamp', doc, '--force', '--out', out, '--json')).code).toBe(0);
    expect(mode(out)).toBe(0o600);
    // the one TSA cannot extend its own 2040 certificate's protection, so auto would refuse: named explicitly
    const re = await sealdesk('restamp', r.json().id, '--tsa', 'loop', '--json');
    expect(re.code, re.stdout + re.stderr).toBe(0);
    expect(mode(re.json().tsrPath)).toBe(0o600);
  });

  it('a 0640 input gives 0640 outputs (read/write bits copied, not a fixed mode)', async () => {
    const doc = privateFile('memo.txt', 0o640);
    expect((await sealdesk('stamp', doc, '--json')).code).toBe(0);
    expect(mode(`${doc}.tsr`)).toBe(0o640);
    const pdf = privateFile('memo.pdf', 0o640);
    expect((await sealdesk('seal', pdf, ...key(), '--level', 'B-T', '--json')).code).toBe(0);
    expect(mode(join(files, 'memo_sealed.pdf'))).toBe(0o640);
  });
});
