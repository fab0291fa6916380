// `stamp`: hash a file locally, get an RFC 3161 token (auto: round-robin + failover), record it, write `<file>.tsr`.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RequestHash } from '../asn1/oids.js';
import { toHex } from '../asn1/bytes.js';
import { AllTsasFailedError, CoreError, errorMessage, type TsaFailure } from '../errors.js';
import { modeOf, writeBesideFile, writeNewFile } from '../fs/atomic.js';
import { hashFile, type HashProgress } from '../hash/hash-file.js';
import { logFailure } from '../ledger/failures.js';
import { insertStamp, setTsrPath, stampsForFile } from '../ledger/stamps.js';
import { getTsa, listTsas, noteAcceptedToken, takeCursor } from '../ledger/tsa.js';
import type { StampRecord } from '../model/stamp.js';
import { planAttempts, requestTimestamp, type StampResult, type TsaChoice } from '../tsp/dispatcher.js';
import type { TsaProvider } from '../tsp/registry.js';
import type { StampContext } from './context.js';
import { tokenFacts } from './token-facts.js';

export type StampFileOptions = {
  readonly tsa: TsaChoice;
  /** Overrides the imprint hash (auto: SHA-512; a slug: its preferred hash). */
  readonly hash?: RequestHash;
  readonly label?: string;
  /** Stamp again even when the ledger already holds a stamp for this content. */
  readonly force?: boolean;
  /** Exact output path; never overwritten. Default `<file>.tsr`, else `<file>.<n>.tsr`. */
  readonly out?: string;
  readonly onHashProgress?: HashProgress;
  /** `stamp --qualified` (core/app/qualified-tsa.ts): only these TSAs, and each token checked before it is kept. */
  readonly qualified?: QualifiedStamp;
};

export type QualifiedStamp = {
  readonly providers: readonly TsaProvider[];
  /** Why the token is not a qualified time-stamp, or null when it is. */
  readonly check: (result: StampResult) => string | null;
};

export type StampOutcome =
  | { readonly kind: 'stamped'; readonly record: StampRecord; readonly tsrPath: string; readonly result: StampResult }
  | {
      readonly kind: 'existing';
      readonly record: StampRecord;
      readonly tsrPath: string | null;
      readonly wroteTsr: boolean;
    }
  | { readonly kind: 'queued'; readonly record: StampRecord; readonly failures: readonly TsaFailure[] };

export async function stampFile(ctx: StampContext, file: string, opts: StampFileOptions): Promise<StampOutcome> {
  const path = resolve(file);
  const hashAlgorithm = opts.hash ?? (opts.tsa === 'auto' ? 'sha512' : getTsa(ctx.db, opts.tsa).preferredHash);
  const { digests } = await hashFile(path, unique(['sha512', hashAlgorithm]), opts.onHashProgress);
  const fileSha512 = toHex(digests.sha512);
  return exclusive(ctx, fileSha512, async () => {
    const known = stampsForFile(ctx.db, fileSha512).find((r) => !opts.qualified || r.qualified);
    if (known && !opts.force) return existing(ctx, known, path, opts.out);
    return stampNew(ctx, path, fileSha512, hashAlgorithm, digests[hashAlgorithm], opts);
  });
}

/** Runs `fn` after any stamp of the same content already under way in this process. */
async function exclusive<T>(ctx: StampContext, key: string, fn: () => Promise<T>): Promise<T> {
  const before = ctx.inflight?.get(key);
  const run = (before ? before.catch(() => undefined) : Promise.resolve()).then(fn);
  ctx.inflight?.set(key, run);
  try {
    return await run;
  } finally {
    if (ctx.inflight?.get(key) === run) ctx.inflight.delete(key);
  }
}

async function stampNew(
  ctx: StampContext,
  path: string,
  fileSha512: string,
  hashAlgorithm: RequestHash,
  imprint: Uint8Array,
  opts: StampFileOptions,
): Promise<StampOutcome> {
  const cursor = opts.tsa === 'auto' ? takeCursor(ctx.db) : 0;
  const plan = planAttempts(opts.qualified?.providers ?? listTsas(ctx.db), opts.tsa, cursor, opts.hash);
  const id = randomUUID();
  const base = {
    id,
    fileSha512,
    imprintAlgorithm: hashAlgorithm,
    imprint,
    label: opts.label ?? null,
    filePath: path,
    requestedTsa: opts.tsa,
  };
  let result: StampResult;
  try {
    result = await requestTimestamp(plan, imprint, {
      transport: ctx.transport,
      timeoutMs: ctx.timeoutMs,
      onFailure: (f, p) => logFailure(ctx.db, f, p.slug, ctx.now().toISOString(), id),
    });
  } catch (err) {
    if (!(err instanceof AllTsasFailedError && err.offline)) throw err;
    // Offline: keep the request; `queue run` completes it later. --out is remembered as the target.
    const record = insertStamp(ctx.db, {
      ...base,
      tsrPath: opts.out ? resolve(opts.out) : null,
      createdAt: ctx.now().toISOString(),
    });
    return { kind: 'queued', record, failures: err.failures };
  }
  noteAcceptedToken(ctx.db, result); // the TSA's certificate, for restamp selection (and --qualified's next plan)
  const notQualified = opts.qualified?.check(result) ?? null;
  if (notQualified)
    throw new CoreError(
      'NO_QUALIFIED_TSA',
      `${result.provider.slug} did not give a qualified time-stamp: ${notQualified}`,
    );
  const facts = tokenFacts(result);
  const record = insertStamp(ctx.db, {
    ...base,
    tsrPath: null,
    createdAt: ctx.now().toISOString(),
    token: opts.qualified ? { ...facts, qualified: true } : facts,
  });
  const tsrPath = await writeToken(ctx, record.id, path, opts.out, result.responseDer);
  return { kind: 'stamped', record: { ...record, tsrPath }, tsrPath, result };
}

/** The ledger already has this content: report it and restore its .tsr if that file is gone. */
async function existing(
  ctx: StampContext,
  record: StampRecord,
  path: string,
  out: string | undefined,
): Promise<StampOutcome> {
  const target = resolve(out ?? `${path}.tsr`);
  if (
    record.status !== 'stamped' ||
    !record.tsr ||
    existsSync(target) ||
    (record.tsrPath && record.tsrPath !== target && existsSync(record.tsrPath))
  ) {
    return { kind: 'existing', record, tsrPath: record.tsrPath, wroteTsr: false };
  }
  await writeNewFile(target, record.tsr, await modeOf(path));
  setTsrPath(ctx.db, record.id, target);
  return { kind: 'existing', record: { ...record, tsrPath: target }, tsrPath: target, wroteTsr: true };
}

/** Writes the token after it is safe in the ledger, so a failed write never loses it. */
export async function writeToken(
  ctx: StampContext,
  id: string,
  file: string,
  out: string | undefined | null,
  der: Uint8Array,
): Promise<string> {
  try {
    const tsrPath = out
      ? (await writeNewFile(resolve(out), der, await modeOf(file)), resolve(out))
      : await writeBesideFile(file, 'tsr', der);
    setTsrPath(ctx.db, id, tsrPath);
    return tsrPath;
  } catch (err) {
    const code = err instanceof CoreError ? err.code : 'OUTPUT_UNWRITABLE';
    throw new CoreError(
      code,
      `${errorMessage(err)} (the token is safe in the ledger as record ${id}: \`sealdesk lookup\` shows it)`,
      { cause: err },
    );
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
