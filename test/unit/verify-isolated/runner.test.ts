// The isolated verifier from sources (its worker bundled by esbuild on the fly): errors cross as their codes, a worker
// over its heap or its clock ends that job as RESOURCE_LIMIT and a fresh worker takes the next one, close() cancels.
import { mkdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../../core/errors.js';
import { IsolatedVerifier, IsolationError } from '../../../core/verify-isolated/index.js';
import { replyError } from '../../../core/verify-isolated/worker.js';
import { bigArrayPdf, crossSignedCms } from '../../helpers/hostile-inputs.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('isolated');
let plain: string;
const now = new Date().toISOString();
const pdfJob = (file: string) => ({ kind: 'pdf' as const, file, anchors: [], at: null, now, online: null });

beforeAll(() => {
  plain = writeMinimalPdf(join(work.path, 'plain.pdf'));
});
afterAll(() => work.remove());

describe('IsolatedVerifier', () => {
  it('returns reports and errors as the code the worker threw; results keep their order across threads', async () => {
    const v = new IsolatedVerifier({ threads: 2 });
    try {
      const [a, b] = await Promise.all([v.run(pdfJob(plain)), v.run(pdfJob(plain))]);
      expect(a).toMatchObject({ file: plain, indication: 'INDETERMINATE', subIndication: 'NO_SIGNATURE_FOUND' });
      expect(b).toEqual(a);
      const err = await v
        .run({ kind: 'inspect', file: join(work.path, 'missing.tsr'), extraCertificates: [] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CoreError);
      expect(err).toMatchObject({ code: 'INPUT_UNREADABLE', message: expect.stringContaining('missing.tsr') });
    } finally {
      await v.close();
    }
  }, 120_000);

  it('a job over the heap cap is RESOURCE_LIMIT (heap); a new worker verifies the next file', async () => {
    const v = new IsolatedVerifier({ limits: { maxHeapMb: 16 } });
    try {
      const err = await v.run(pdfJob(bigArrayPdf(work.path))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IsolationError);
      expect(err).toMatchObject({
        code: 'RESOURCE_LIMIT',
        limit: 'heap',
        message: expect.stringMatching(/more than 16 MB of memory.*--max-heap-mb/),
      });
      expect(await v.run(pdfJob(plain))).toMatchObject({ subIndication: 'NO_SIGNATURE_FOUND' });
    } finally {
      await v.close();
    }
  }, 120_000);

  it('a job past the wall clock is stopped: RESOURCE_LIMIT (time), with the words a caller chose; the next job runs', async () => {
    const dir = join(work.path, 'cms');
    mkdirSync(dir);
    const { file, p7s, anchor } = await crossSignedCms(dir);
    truncateSync(file, 20 * 1024 ** 3); // sparse: hashing it takes far longer than the 1 s allowed
    const v = new IsolatedVerifier({
      limits: { timeoutS: 1 },
      raiseWith: { heap: 'more heap', timeout: 'ask for more time' },
    });
    try {
      const err = await v
        .run({ kind: 'cades', file, signature: p7s, content: file, anchors: [], devAnchors: [], now })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'RESOURCE_LIMIT',
        limit: 'time',
        message: expect.stringMatching(/longer than 1 s and was stopped \(ask for more time\)/),
      });
      expect(await v.run(pdfJob(plain))).toMatchObject({ subIndication: 'NO_SIGNATURE_FOUND' });
      expect(anchor).toMatch(/\.pem$/);
    } finally {
      await v.close();
    }
  }, 120_000);

  it('close() cancels what is queued; a closed verifier takes no job', async () => {
    const v = new IsolatedVerifier();
    const first = v.run(pdfJob(plain)).catch((e: unknown) => e);
    const queued = v.run(pdfJob(plain)).catch((e: unknown) => e);
    await v.close();
    expect(await queued).toMatchObject({ code: 'CANCELLED' });
    expect(await first).toMatchObject({ code: 'CANCELLED' });
    await expect(v.run(pdfJob(plain))).rejects.toMatchObject({ code: 'CANCELLED' });
  }, 60_000);
});

describe('replyError (in the worker)', () => {
  it('keeps a CoreError code; a structure V8 cannot grow further is RESOURCE_LIMIT; anything else is INTERNAL (our bug)', () => {
    expect(replyError(new CoreError('PDF_MALFORMED', 'bad xref'), 'x.pdf')).toEqual({
      code: 'PDF_MALFORMED',
      message: 'bad xref',
    });
    const overflow = (() => {
      const f = (n: number): number => f(n + 1) + 1;
      try {
        return f(0);
      } catch (e) {
        return e;
      }
    })();
    expect(replyError(overflow, 'x.pdf')).toMatchObject({
      code: 'RESOURCE_LIMIT',
      message: expect.stringContaining('x.pdf exhausts the verifier (Maximum call stack size exceeded)'),
    });
    expect(replyError(new TypeError('undefined is not a function'), 'x.pdf')).toEqual({
      code: 'INTERNAL',
      message: 'undefined is not a function',
    });
  });
});
