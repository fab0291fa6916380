// Many files at once: a small pool keeps a TSA busy while this thread hashes and checks, results in input order.
import { stampFile, type StampFileOptions, type StampOutcome } from './stamp-file.js';
import type { StampContext } from './context.js';

export type BatchItem = { readonly file: string; readonly outcome?: StampOutcome; readonly error?: unknown };

export type StampFilesOptions = Omit<StampFileOptions, 'out'> & {
  readonly outFor?: (file: string) => string | undefined;
  /** Stamps in flight at once (default 4): enough to hide our own work behind the TSA's. */
  readonly concurrency?: number;
  readonly onItem?: (item: BatchItem, done: number) => void;
};

export async function stampFiles(ctx: StampContext, files: readonly string[], opts: StampFilesOptions): Promise<BatchItem[]> {
  const results: BatchItem[] = new Array(files.length);
  const shared: StampContext = { ...ctx, inflight: ctx.inflight ?? new Map() };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      try {
        results[i] = { file, outcome: await stampFile(shared, file, { ...opts, out: opts.outFor?.(file) }) };
      } catch (error) {
        results[i] = { file, error };
      }
      opts.onItem?.(results[i]!, ++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, files.length)) }, worker));
  return results;
}
