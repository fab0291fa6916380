// The isolated verifier's worker started before the command loads (cli/early-worker.ts, prestartWorker): which
// command lines start one and with what heap, and the verifier whose limits match takes that very worker.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { earlyWorker } from '../../../cli/early-worker.js';
import { IsolatedVerifier, prestartWorker, workerScript } from '../../../core/verify-isolated/runner.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('early-worker');
afterAll(() => work.remove());

type Spare = { worker: unknown; heap: number; alive: boolean } | null | undefined;
const spare = () => (globalThis as Record<symbol, Spare>)[Symbol.for('sealdesk.verify-isolated.spare')];

describe('earlyWorker', () => {
  it('starts one for verify and inspect, with the heap --max-heap-mb asks for', () => {
    expect(earlyWorker(['verify', 'a.pdf'])).toEqual({});
    expect(earlyWorker(['inspect', 'a.tsr', '--json'])).toEqual({});
    expect(earlyWorker(['verify', 'a.pdf', '--max-heap-mb', '300'])).toEqual({ maxHeapMb: 300 });
    expect(earlyWorker(['verify', '--max-heap-mb=48', 'a.pdf'])).toEqual({ maxHeapMb: 48 });
  });

  it('starts none for other commands, for help, or when the heap flag is the usage error', () => {
    expect(earlyWorker(['stamp', 'a.pdf'])).toBeNull();
    expect(earlyWorker(['verify', '--help'])).toBeNull();
    expect(earlyWorker(['verify', 'a.pdf', '--max-heap-mb', 'lots'])).toBeNull();
    expect(earlyWorker([])).toBeNull();
  });
});

describe('prestartWorker', () => {
  it('the first verifier with the same heap limit takes the started worker; one with another limit does not', async () => {
    await workerScript(); // from sources: bundled by esbuild first, then the worker starts from it
    prestartWorker({ maxHeapMb: 96 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(spare()?.alive).toBe(true);
    const started = spare()!.worker;
    const other = new IsolatedVerifier({ limits: { maxHeapMb: 64 } });
    const same = new IsolatedVerifier({ limits: { maxHeapMb: 96 } });
    try {
      const job = { kind: 'inspect' as const, file: join(work.path, 'missing.tsr'), extraCertificates: [] };
      await expect(other.run(job)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
      expect(spare()?.worker).toBe(started);
      await expect(same.run(job)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
      expect(spare()).toBeNull();
    } finally {
      await Promise.all([other.close(), same.close()]);
    }
  }, 120_000);
});
