// Use case "stamp files" (RFC 3161): every input hashed here — folders become the files inside them (tokens left
// alone) — stamped by the TSAs (auto: round-robin and failover, or one named TSA), recorded, and its .tsr written
// beside it or where `out` says. One typed result per file, in input order; the batch goes on past errors. The CLI
// `stamp` and the desktop Stamp view (and its job) call this one function with the same options.
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RequestHash } from '../asn1/oids.js';
import { AllTsasFailedError, CoreError, UsageError, type TsaFailure } from '../errors.js';
import type { StampContext } from '../stamp/context.js';
import { stampFile, type StampOutcome } from '../stamp/stamp-file.js';
import { mapPool } from '../util/pool.js';
import type { TlSnapshot } from '../tl/model.js';
import { expandInputs } from './expand-inputs.js';
import { qualifiedStamp } from './qualified-tsa.js';

export type StampFilesOptions = {
  /** 'auto' (default) or a TSA's slug. */
  readonly tsa?: string;
  /** The imprint hash (auto: SHA-512; a slug: its preferred hash). */
  readonly hash?: RequestHash;
  readonly label?: string;
  /** Stamp again even when the ledger already holds a stamp for this content. */
  readonly force?: boolean;
  /** The .tsr path for one file, or an existing folder for several (`<name>.tsr` inside). Never overwritten. */
  readonly out?: string;
  /** Stamps in flight at once (default 4). */
  readonly concurrency?: number;
  /** `--qualified`: only TSAs under a granted TSA/QTST service of these cached EU trusted lists (null: none loaded,
   * refused with NO_QUALIFIED_TSA). */
  readonly qualified?: { readonly lists: TlSnapshot | null };
};

export type StampControl = {
  /** Files not started yet report CANCELLED; stamps under way finish. */
  readonly signal?: AbortSignal;
  /** After each file, with how many are done of how many. */
  readonly onItem?: (result: StampFileResult, done: number, total: number) => void;
  /** Bytes hashed of all files, at most every `bytesStep` bytes (default 8 MiB) and once at the end. */
  readonly onBytes?: (done: number, total: number) => void;
  readonly bytesStep?: number;
};

/** `failures`: an all-TSAs-failed error's per-TSA failures, kept as data for the caller to show. */
export type StampFileResult =
  | { readonly ok: true; readonly file: string; readonly outcome: StampOutcome }
  | { readonly ok: false; readonly file: string; readonly error: unknown; readonly failures?: readonly TsaFailure[] };

/** The files a stamp of `inputs` covers, in input order: a folder's files sorted; named files kept as given. */
export function stampTargets(inputs: readonly string[]): {
  readonly files: readonly string[];
  readonly unreadable: ReadonlyMap<string, unknown>;
} {
  const files: string[] = [];
  const seen = new Set<string>();
  const unreadable = new Map<string, unknown>();
  for (const input of inputs) {
    const x = expandInputs([input], { skip: 'tokens' });
    if (x.unreadable.length && x.files.length === 0) {
      files.push(input); // a named input that cannot be read: reported in its place
      unreadable.set(input, x.unreadable[0]!.error);
      continue;
    }
    for (const f of x.files) {
      if (seen.has(f)) continue;
      seen.add(f);
      files.push(x.fromFolder.has(f) ? f : input); // the name as given, for the messages
    }
    for (const u of x.unreadable) {
      files.push(u.path);
      unreadable.set(u.path, u.error);
    }
  }
  return { files, unreadable };
}

export async function stampInputs(
  ctx: StampContext,
  inputs: readonly string[],
  o: StampFilesOptions = {},
  c: StampControl = {},
): Promise<StampFileResult[]> {
  const { files, unreadable } = stampTargets(inputs);
  const readable = files.filter((f) => !unreadable.has(f));
  const qualified = o.qualified ? qualifiedStamp(ctx.db, o.qualified.lists, o.tsa ?? 'auto', ctx.now()) : undefined;
  const outFor = outputs(readable, o.out);
  const onBytes = c.onBytes ? bytesReporter(readable, c.onBytes, c.bytesStep ?? 8 * 1024 * 1024) : null;
  // One in-flight map for the batch: identical content in it is stamped once, the others report that record.
  const shared: StampContext = { ...ctx, inflight: ctx.inflight ?? new Map() };
  let done = 0;
  const settled = await mapPool(files, o.concurrency ?? 4, async (file): Promise<StampFileResult> => {
    let r: StampFileResult;
    try {
      if (unreadable.has(file)) throw unreadable.get(file);
      if (c.signal?.aborted) throw new CoreError('CANCELLED', 'cancelled before it was stamped');
      const outcome = await stampFile(shared, file, {
        tsa: o.tsa ?? 'auto',
        hash: o.hash,
        label: o.label,
        force: o.force,
        out: outFor?.(file),
        qualified,
        onHashProgress: onBytes ? (bytes) => onBytes(file, bytes) : undefined,
      });
      r = { ok: true, file, outcome };
    } catch (error) {
      r = failed(file, error);
    }
    c.onItem?.(r, ++done, files.length);
    return r;
  });
  return settled.map((s) => s.value!);
}

/** Sums the bytes hashed per file and reports every `step` bytes and at the end. */
function bytesReporter(files: readonly string[], report: (done: number, total: number) => void, step: number) {
  const total = files.reduce((n, f) => n + sizeOf(f), 0);
  const hashed = new Map<string, number>();
  let reported = 0;
  return (file: string, bytes: number) => {
    hashed.set(file, bytes);
    const sum = [...hashed.values()].reduce((a, b) => a + b, 0);
    if (sum === total || sum - reported >= step) report((reported = sum), total);
  };
}

/** The bytes a stamp of `inputs` hashes (the job's progress total). */
export function stampBytes(inputs: readonly string[]): { readonly files: number; readonly bytes: number } {
  const { files, unreadable } = stampTargets(inputs);
  return { files: files.length, bytes: files.filter((f) => !unreadable.has(f)).reduce((n, f) => n + sizeOf(f), 0) };
}

function failed(file: string, error: unknown): StampFileResult {
  return { ok: false, file, error, ...(error instanceof AllTsasFailedError ? { failures: error.failures } : {}) };
}

/** `out` names a file for one input and a folder for several. */
function outputs(
  files: readonly string[],
  out: string | undefined,
): ((file: string) => string | undefined) | undefined {
  if (!out) return undefined;
  if (files.length === 1) return () => out;
  const isDir = (() => {
    try {
      return statSync(out).isDirectory();
    } catch {
      return false;
    }
  })();
  if (!isDir) throw new UsageError(`--out must be an existing folder when stamping several files (${out} is not)`);
  return (file) => join(out, `${basename(file)}.tsr`);
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // reported per file by the stamp itself
  }
}
