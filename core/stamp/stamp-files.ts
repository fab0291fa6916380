// Many files at once: a small pool keeps a TSA busy while this thread hashes and checks, results in input order.
import { stampFile, type StampFileOptions, type StampOutcome } from './stamp-file.js';
import type { StampContext } from './context.js';
import { mapPool } from '../util/pool.js';
import { CoreError } from '../errors.js';

export type BatchItem = { readonly file: string; readonly outcome?: StampOutcome; readonly error?: unknown };

export type StampFilesOptions = Omit<StampFileOptions, 'out'> & {
  readonly outFor?: (file: string) => string | undefined;
  /** Stamps in flight at once (default 4): enough to hide our own work behind the TSA's. */
  readonly concurrency?: number;
  readonly onItem?: (item: BatchItem, done: number) => void;
  /** Hashing progress per file: bytes of `file` hashed so far. */
  readonly onFileHashProgress?: (file: string, bytes: number) => void;
  /** Cancels the files not started yet (each reports CANCELLED); stamps under way finish. */
  readonly signal?: AbortSignal;
};

export async function stampFiles(
  ctx: StampContext,
  files: readonly string[],
  opts: StampFilesOptions,
): Promise<BatchItem[]> {
  const shared: StampContext = { ...ctx, inflight: ctx.inflight ?? new Map() };
  let done = 0;
  const settled = await mapPool(files, opts.concurrency ?? 4, async (file) => {
    try {
      if (opts.signal?.aborted) throw new CoreError('CANCELLED', 'cancelled before it was stamped');
      const onHashProgress = opts.onFileHashProgress
        ? (bytes: number) => opts.onFileHashProgress!(file, bytes)
        : opts.onHashProgress;
      return { file, outcome: await stampFile(shared, file, { ...opts, out: opts.outFor?.(file), onHashProgress }) };
    } catch (error) {
      return { file, error };
    } finally {
      opts.onItem?.({ file }, ++done);
    }
  });
  return settled.map((s) => s.value!);
}
