// Sealing PDFs signed by others (../shared/corpus/pdf/signed): every signature pdfsig found valid before stays valid,
// ours is added valid, qpdf finds nothing new; certified "no changes" files are refused.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { createNssDb, pdfsigVerify, qpdfCheck } from '../helpers/pdf-judges.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/pdf/signed', import.meta.url));
const files = existsSync(corpus)
  ? readdirSync(corpus)
      .filter((f) => f.endsWith('.pdf'))
      .sort()
  : [];
const CERTIFIED_NO_CHANGES = new Set([
  'afirma_TEST_PDF_Certified_acrobat.pdf',
  'dss_certified-no-change-permitted.pdf',
  'pyhanko_certified-docmdp.pdf',
]);

if (files.length === 0)
  console.warn(`corpus not found at ${corpus}: the co-signing tests over real signed PDFs are skipped`);

describe.skipIf(files.length === 0)('sealing real signed PDFs keeps their signatures valid', () => {
  const work = tempDir('pades-corpus');
  let pki: TestPki;
  let tsa: LoopbackTsa;
  let nss: string;
  let sealdesk: ReturnType<typeof cliRunner>;

  beforeAll(async () => {
    pki = await createTestPki(join(work.path, 'pki'));
    tsa = await startTsa({ pki });
    nss = await createNssDb(pki.root.certPath);
    sealdesk = cliRunner({ SEALDESK_HOME: join(work.path, 'home'), SEALDESK_TSA_TIMEOUT_MS: '1500' });
    await isolateTsas(sealdesk);
    await sealdesk('tsa', 'add', 'loop', tsa.url);
  });
  afterAll(async () => {
    await tsa.close();
    work.remove();
  });

  it.each(files.filter((f) => !CERTIFIED_NO_CHANGES.has(f)))('%s', async (name) => {
    const input = join(corpus, name);
    const out = join(work.path, name);
    const before = await pdfsigVerify(input, nss);
    const r = await sealdesk(
      'seal',
      input,
      '--key',
      pki.signer.keyPath,
      '--chain',
      pki.signer.chainPath,
      '--out',
      out,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, readFileSync(input).length).equals(readFileSync(input))).toBe(true);
    const after = await pdfsigVerify(out, nss);
    expect(after).toHaveLength(before.length + 1);
    before.forEach((s, i) =>
      expect(
        after[i]!.signatureValid,
        `${name} signature #${i + 1} was ${s.signatureValid ? 'valid' : 'invalid'}`,
      ).toBe(s.signatureValid),
    );
    expect(after.at(-1)).toMatchObject({ signatureValid: true, certificateTrusted: true, wholeDocument: true });
    if ((await qpdfCheck(input)).ok) expect((await qpdfCheck(out)).out).toMatch(/No syntax or stream encoding errors/);
    expect((await qpdfCheck(out)).code).toBeLessThanOrEqual((await qpdfCheck(input)).code); // never worse than the input
  });

  it.each([...CERTIFIED_NO_CHANGES].filter((f) => files.includes(f)))(
    '%s is certified "no changes" (DocMDP P=1): refused',
    async (name) => {
      const r = await sealdesk(
        'seal',
        join(corpus, name),
        '--tsa',
        'none',
        '--out',
        join(work.path, `x-${basename(name)}`),
        '--json',
      );
      expect(r.code).toBe(2);
      expect(r.json()).toMatchObject({ code: 'PDF_CERTIFIED_NO_CHANGES' });
      expect(existsSync(join(work.path, `x-${basename(name)}`))).toBe(false);
    },
  );
});
