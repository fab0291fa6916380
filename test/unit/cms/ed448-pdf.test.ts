// A PDF signed with Ed448 and SHAKE256 (RFC 8419): the signature revision laid out by core/pdf's writer, the detached
// CMS made over its byte ranges, then `sealdesk verify --trust` (TOTAL-PASSED), qpdf and pdfsig as the other judges.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BytesSource,
  IncrementBuilder,
  PdfDocument,
  addSignatureField,
  contentsHex,
  layoutSignature,
} from '../../../core/pdf/index.js';
import { cliRunner } from '../../helpers/cli.js';
import { createNssDb, pdfsigVerify, qpdfCheck } from '../../helpers/pdf-judges.js';
import { minimalPdf } from '../../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { OIDS, buildSignedData, eddsaSigner, issueEd448, type BuildOptions } from './cms-builder.js';

const work = tempDir('ed448-pdf');
let pki: TestPki;
let ed448: Awaited<ReturnType<typeof issueEd448>>;
afterAll(() => work.remove());
beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  ed448 = await issueEd448(pki.root, work.path);
}, 60_000);

/** Appends one signature revision to `input` and fills /Contents with the CMS `cms` builds over the signed bytes. */
function signPdf(input: Buffer, cms: (signedBytes: Uint8Array) => Uint8Array): Buffer {
  const doc = PdfDocument.open(new BytesSource(input));
  const b = new IncrementBuilder(doc);
  const sigRef = addSignatureField(doc, b, {
    kind: 'signature',
    contentsBytes: 8192,
    signingTime: new Date(),
    signerName: 'Sealdesk Test Seal Ed448',
  });
  const layout = layoutSignature(b.build(input.length, input[input.length - 1] === 0x0a), sigRef.num, input.length);
  const whole = Buffer.concat([input, layout.bytes]);
  const [, a, c] = layout.byteRange;
  const der = cms(Buffer.concat([whole.subarray(0, a), whole.subarray(c)]));
  whole.write(contentsHex(der, 8192).toString('latin1'), layout.hexStart, 'latin1');
  return whole;
}

describe('a PDF signed with Ed448 / SHAKE256', () => {
  const options = (content: Uint8Array): BuildOptions => ({
    content,
    signerCert: ed448.der,
    sign: eddsaSigner(ed448.key),
    digest: { oid: OIDS.shake256, node: 'shake256' },
    signatureAlgorithm: { oid: OIDS.ed448 },
  });

  it('verifies TOTAL-PASSED with the test root as anchor; qpdf finds the file sound; pdfsig (NSS) cannot check Ed448', async () => {
    const out = join(work.path, 'ed448.pdf');
    writeFileSync(
      out,
      signPdf(minimalPdf({ text: 'Ed448 sealed' }), (signed) => buildSignedData(options(signed))),
    );
    const sealdesk = cliRunner({ SEALDESK_HOME: join(work.path, 'home') });
    const r = await sealdesk('verify', out, '--trust', pki.caFile, '--json');
    const report = r.json();
    expect(report.signatures).toHaveLength(1);
    const s = report.signatures[0];
    expect(s, s.reasons.join('; ')).toMatchObject({
      indication: 'TOTAL-PASSED',
      intact: true,
      valid: true,
      coversWholeDocument: true,
      algorithms: { digest: 'shake256', signature: 'Ed448' },
    });
    expect(report.indication).toBe('TOTAL-PASSED');
    expect(r.code).toBe(0);
    expect((await qpdfCheck(out)).ok).toBe(true);
    const pdfsig = await pdfsigVerify(out, await createNssDb(pki.caFile));
    expect(pdfsig).toHaveLength(1);
    expect(pdfsig[0]!.signatureValid).toBe(false); // poppler 22/NSS: no EdDSA in CMS (recorded, not a Sealdesk verdict)
  });

  it('the same PDF with one signed byte changed is TOTAL-FAILED/HASH_FAILURE', async () => {
    const signed = signPdf(minimalPdf({ text: 'Ed448 sealed' }), (bytes) => buildSignedData(options(bytes)));
    const at = signed.indexOf('Ed448 sealed');
    signed[at] = 'e'.charCodeAt(0);
    const out = join(work.path, 'ed448-changed.pdf');
    writeFileSync(out, signed);
    const report = (
      await cliRunner({ SEALDESK_HOME: join(work.path, 'home') })('verify', out, '--trust', pki.caFile, '--json')
    ).json();
    expect(report.signatures[0]).toMatchObject({
      indication: 'TOTAL-FAILED',
      subIndication: 'HASH_FAILURE',
      intact: false,
    });
  });
});
