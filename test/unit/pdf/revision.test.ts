// A signature that outgrows its reserved /Contents is laid out again with room for it: never truncated.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { StagedFile } from '../../../core/fs/staged.js';
import { appendSignedRevision } from '../../../core/pades/revision.js';
import { PdfDocument } from '../../../core/pdf/index.js';
import { minimalPdf } from '../../helpers/pdfs.js';
import { qpdfCheck, qpdfObjects, signatureValues, signedBytes } from '../../helpers/pdf-judges.js';
import { tempDir } from '../../helpers/tmp.js';
import { createHash } from 'node:crypto';

const work = tempDir('revision');
afterAll(() => work.remove());

it('resizes and signs again when the DER does not fit; the digest covers exactly the final byte ranges', async () => {
  const input = join(work.path, 'in.pdf');
  writeFileSync(input, minimalPdf());
  const out = join(work.path, 'out.pdf');
  const staged = await StagedFile.create(out, ['sha256']);
  await staged.copyFrom(input);
  const doc = PdfDocument.openFile(input);
  const digests: Buffer[] = [];
  // A stand-in DER (SEQUENCE of 2996 bytes) whose content is the digest it was given, so the test can check it.
  const rev = await appendSignedRevision(
    staged,
    doc,
    { kind: 'signature', signingTime: new Date('2026-01-02T03:04:05Z') },
    64,
    async (digest) => {
      const d = Buffer.from(await digest('sha256'));
      digests.push(d);
      return Buffer.concat([Buffer.from([0x30, 0x82, 0x0b, 0xb4]), d, Buffer.alloc(2996 - 32, 0x55)]);
    },
  );
  doc.close();
  await staged.publishNew(out);
  expect(digests).toHaveLength(2); // laid out twice
  expect(rev!.der.length).toBe(3000);
  const bytes = readFileSync(out);
  const [sig] = signatureValues(await qpdfObjects(out));
  expect(sig!.contents.length).toBe(3000);
  expect(sig!.byteRange).toEqual([...rev!.byteRange]);
  expect(
    createHash('sha256').update(signedBytes(bytes, sig!.byteRange)).digest().equals(sig!.contents.subarray(4, 36)),
  ).toBe(true);
  expect(sig!.byteRange[2]! + sig!.byteRange[3]!).toBe(bytes.length);
  expect((await qpdfCheck(out)).ok).toBe(true);
});
