// `queue run` for PDF seals that did not reach their level: append what is missing (document time-stamp, DSS) to the
// file Sealdesk wrote — atomically, and only while it is byte-identical to what the ledger recorded.
import { stat } from 'node:fs/promises';
import { toHex } from '../asn1/bytes.js';
import { CoreError, type TsaFailure } from '../errors.js';
import { StagedFile } from '../fs/staged.js';
import { getOperation, type OperationRecord } from '../ledger/operations.js';
import { adoptInterruptedExtension, publishExtension } from '../ledger/extend-in-place.js';
import type { StampContext } from '../stamp/context.js';
import { extendToLevel } from './extend.js';
import { parseLevel, type PadesLevel } from './levels.js';

export type PadesProgress = {
  readonly reached: PadesLevel;
  readonly advanced: boolean;
  readonly done: boolean;
  readonly tsaName: string | null;
  readonly stopped: string | null;
  readonly failures: readonly TsaFailure[];
};

export async function completePadesOperation(ctx: StampContext, found: OperationRecord): Promise<PadesProgress> {
  // A run killed after its rename left the extended file: take it as the ledger's version first.
  const adopted = await adoptInterruptedExtension(ctx.db, found);
  const op = adopted ? getOperation(ctx.db, found.id)! : found;
  if (adopted && op.status === 'success')
    return {
      reached: parseLevel(op.reachedLevel ?? op.level ?? 'B-B'),
      advanced: true,
      done: true,
      tsaName: op.tsaName,
      stopped: null,
      failures: [],
    };
  if (!op.outputPath || !op.outputSha256 || !op.signature || !op.level)
    throw new CoreError('NOT_FOUND', `operation ${op.id} has no recorded PDF`);
  const path = op.outputPath;
  const before = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new CoreError(
      'OUTPUT_CHANGED',
      `${path} is gone (${err.code ?? err.message}): it was moved or deleted since Sealdesk wrote it; left as it is`,
    );
  });
  const from = parseLevel(op.reachedLevel ?? 'B-B');
  const to = parseLevel(op.level);
  const staged = await StagedFile.create(path);
  try {
    await staged.copyFrom(path);
    if (toHex(await staged.digestWith('sha256')) !== op.outputSha256)
      throw new CoreError('OUTPUT_CHANGED', `${path} changed since Sealdesk wrote it; left untouched`);
    const x = await extendToLevel(ctx, staged, {
      from,
      to,
      tsa: op.requestedTsa,
      operationId: op.id,
      cms: [op.signature],
    });
    if (x.reached === from)
      return { reached: from, advanced: false, done: false, tsaName: null, stopped: x.stopped, failures: x.failures };
    await publishExtension(
      ctx.db,
      op,
      staged,
      { size: before.size, mtimeMs: before.mtimeMs },
      { level: x.reached, tsaName: x.timestampedBy, at: ctx.now().toISOString() },
    );
    const done = x.reached === to;
    return {
      reached: x.reached,
      advanced: true,
      done,
      tsaName: x.timestampedBy,
      stopped: x.stopped,
      failures: x.failures,
    };
  } finally {
    await staged.discard();
  }
}
