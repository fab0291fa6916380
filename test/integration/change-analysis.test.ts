// Change analysis over the object graph, judged against an independent verifier: each attack appends one revision to
// a PDF signed by pdfsig (NSS) or sealed by Sealdesk; pdfsig still calls the original signature valid (the signed
// bytes are untouched), Sealdesk never passes it and names the change. Genuine later revisions still pass.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_ATTACKS, fillField, type ChangeAttack } from '../helpers/change-attacks.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { addNssSigner, createNssDb, pdfsigAddSignature, pdfsigVerify } from '../helpers/pdf-judges.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';

const work = tempDir('change-analysis');
const corpus = fileURLToPath(new URL('../../../shared/corpus/pdf/signed', import.meta.url));
const CERTIFIED = ['dss_certified-no-change-permitted.pdf'].map((n) => join(corpus, n)).filter((p) => existsSync(p));
let pki: TestPki;
let nss: string;
let sealdesk: ReturnType<typeof cliRunner>;
let n = 0;
const f = (name: string) => join(work.path, `${++n}-${name}`);

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  nss = await createNssDb(pki.root.certPath);
  await addNssSigner(nss, pki.signer, 'signer');
  sealdesk = cliRunner({ SEALDESK_HOME: join(work.path, 'home') });
  await isolateTsas(sealdesk);
});
afterAll(() => work.remove());

type Base = 'pdfsig' | 'sealdesk';

/** The attacks' base document: page 1 has its /Annots as an array object and draws /X1, never defined (object 500). */
async function signedBase(
  base: Base,
  opts: Parameters<typeof writeMinimalPdf>[1] = { annotsRef: true, dangling: 500 },
): Promise<string> {
  const doc = writeMinimalPdf(f('doc.pdf'), opts);
  const out = f(`${base}.pdf`);
  if (base === 'pdfsig') await pdfsigAddSignature(nss, 'signer', doc, out, 'signed by pdfsig');
  else {
    const r = await sealdesk(
      'seal',
      doc,
      '--key',
      pki.signer.keyPath,
      '--chain',
      pki.signer.chainPath,
      '--level',
      'B-B',
      '--tsa',
      'none',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
  }
  return out;
}

async function verify(file: string) {
  const r = await sealdesk('verify', file, '--trust', pki.root.certPath, '--json');
  const out = r.json();
  const reasons: string = [...out.problems, ...out.signatures.flatMap((s: { reasons: string[] }) => s.reasons)].join(
    '\n',
  );
  return { code: r.code, out, reasons };
}

async function expectCaught(attack: ChangeAttack, attacked: string): Promise<void> {
  const judged = await pdfsigVerify(attacked, nss);
  expect(judged[0]?.signatureValid, `pdfsig on ${attack.name}: ${judged[0]?.raw}`).toBe(true); // the signed bytes are intact
  const { code, out, reasons } = await verify(attacked);
  expect(code).toBe(1);
  expect(out.indication, reasons).not.toBe('TOTAL-PASSED');
  expect(out.signatures[0].intact).toBe(true);
  expect(out.signatures[0].indication).toBe('TOTAL-FAILED');
  expect(out.signatures[0].subIndication).toBe('FORMAT_FAILURE');
  expect(reasons).toMatch(attack.named);
}

describe.each<Base>(['pdfsig', 'sealdesk'])('attacks on a PDF signed by %s', (base) => {
  let signed: string;
  beforeAll(async () => {
    signed = await signedBase(base);
  });

  it('the untouched signed file passes', async () => {
    const { code, out, reasons } = await verify(signed);
    expect(code, reasons).toBe(0);
    expect(out.indication).toBe('TOTAL-PASSED');
  });

  it.each(CHANGE_ATTACKS.filter((a) => a.needs === undefined).map((a) => [a.name, a] as const))(
    '%s',
    async (_, attack) => {
      const attacked = f('attacked.pdf');
      attack.make(signed, attacked);
      await expectCaught(attack, attacked);
    },
  );
});

describe.skipIf(CERTIFIED.length === 0)('attacks on a certified (DocMDP P=1) real-world file from the corpus', () => {
  it.each(CHANGE_ATTACKS.filter((a) => a.needs === 'certified').map((a) => [a.name, a] as const))(
    '%s',
    async (_, attack) => {
      for (const file of CERTIFIED) {
        const attacked = f('certified.pdf');
        attack.make(file, attacked);
        const judged = await pdfsigVerify(attacked, nss);
        expect(judged[0]?.signatureValid, judged[0]?.raw).toBe(true);
        const r = await sealdesk('verify', attacked, '--json');
        const out = r.json();
        const reasons = out.signatures.flatMap((s: { reasons: string[] }) => s.reasons).join('\n');
        expect(out.signatures[0]).toMatchObject({
          intact: true,
          indication: 'TOTAL-FAILED',
          subIndication: 'FORMAT_FAILURE',
        });
        expect(reasons).toMatch(attack.named);
      }
    },
  );
});

describe('genuine later revisions still pass', () => {
  it('two and three successive signatures (Sealdesk, pdfsig, Sealdesk): every one TOTAL-PASSED, pdfsig agrees', async () => {
    const first = await signedBase('sealdesk', {});
    const second = f('second.pdf');
    await pdfsigAddSignature(nss, 'signer', first, second, 'second');
    const third = f('third.pdf');
    const r = await sealdesk(
      'seal',
      second,
      '--key',
      pki.signerEc.keyPath,
      '--chain',
      pki.signerEc.chainPath,
      '--level',
      'B-B',
      '--tsa',
      'none',
      '--out',
      third,
    );
    expect(r.code, r.stderr).toBe(0);
    for (const [file, count] of [
      [second, 2],
      [third, 3],
    ] as const) {
      const { code, out, reasons } = await verify(file);
      expect(code, reasons).toBe(0);
      expect(out.signatures.map((s: { indication: string }) => s.indication)).toEqual(
        Array(count).fill('TOTAL-PASSED'),
      );
      expect((await pdfsigVerify(file, nss)).map((s) => s.signatureValid)).toEqual(Array(count).fill(true));
    }
  });

  describe.each<Base>(['pdfsig', 'sealdesk'])('form filling after a signature by %s', (base) => {
    let signed: string;
    beforeAll(async () => {
      signed = await signedBase(base, { textField: true });
    });

    it.each(['new-appearance', 'reuse-appearance'] as const)(
      'filled in with %s: TOTAL-PASSED, the fill listed as allowed',
      async (mode) => {
        const filled = f(`${mode}.pdf`);
        fillField(signed, filled, '1,000.00 EUR', mode);
        const { code, out, reasons } = await verify(filled);
        expect(code, reasons).toBe(0);
        const changes = out.signatures[0].changesAfter as { kind: string; allowed: boolean; detail: string }[];
        expect(changes.every((c) => c.allowed)).toBe(true);
        expect(changes.map((c) => c.kind)).toContain('form-fill');
        expect((await pdfsigVerify(filled, nss))[0]?.signatureValid).toBe(true);
      },
    );

    it.each([
      [
        'appearance-only',
        /appearance of form field "Amount" \(stream \d+\) was redrawn while its value stayed the same/,
      ],
      ['reuse-page-content', /stream object \d+ \(used as \/Contents of object \d+\) was replaced/],
    ] as const)('%s is caught', async (mode, named) => {
      const filled = f(`${mode}.pdf`);
      fillField(signed, filled, 'PAID', mode);
      expect((await pdfsigVerify(filled, nss))[0]?.signatureValid).toBe(true);
      const { out, reasons } = await verify(filled);
      expect(out.signatures[0]).toMatchObject({
        intact: true,
        indication: 'TOTAL-FAILED',
        subIndication: 'FORMAT_FAILURE',
      });
      expect(reasons).toMatch(named);
    });
  });
});
