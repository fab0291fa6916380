// A sealed file Sealdesk wrote, extended in place (a restamp, a queued level): the new version replaces the old one only while the
// old one is unchanged, and a write-ahead intent in the ledger makes the step recoverable — a process killed between
// the rename and the ledger update leaves a file the next run recognises and adopts, never one it calls "changed".
import { toHex } from '../asn1/bytes.js';
import type { StagedFile } from '../fs/staged.js';
import { hashFile } from '../hash/hash-file.js';
import { advanceOperation, recordOperationFile, type OperationRecord } from './operations.js';
import { clearIntent, getIntent, recordIntent } from './seal-archive.js';
import type { Ledger } from './open.js';

export type Extension = { readonly level: string; readonly tsaName: string | null; readonly at: string };

/** Publishes `staged` over the sealed file (unchanged since `before`) and records the new version. */
export async function publishExtension(
  db: Ledger,
  op: OperationRecord,
  staged: StagedFile,
  before: { size: number; mtimeMs: number },
  x: Extension,
): Promise<{ sha256: string; size: number }> {
  const path = op.outputPath!;
  const sha256 = toHex(await staged.digestWith('sha256'));
  const size = staged.length;
  recordIntent(db, { operationId: op.id, sha256, size, level: x.level, tsaName: x.tsaName, at: x.at });
  await staged.publishReplacing(path, before);
  settle(db, op, { sha256, size, level: x.level, tsaName: x.tsaName, at: x.at });
  return { sha256, size };
}

/**
 * An extension interrupted after its rename: the file on disk is the intended new version — record it and return the
 * operation as it now stands, with when that extension was made. Without a matching intent: null (and a stale
 * intent whose rename never happened is dropped).
 */
export async function adoptInterruptedExtension(
  db: Ledger,
  op: OperationRecord,
): Promise<{ operation: OperationRecord; at: string } | null> {
  const intent = getIntent(db, op.id);
  if (!intent || !op.outputPath) return null;
  const current = await hashFile(op.outputPath, ['sha256'])
    .then((h) => toHex(h.digests.sha256))
    .catch(() => null);
  if (current !== intent.sha256) {
    if (current === op.outputSha256) clearIntent(db, op.id);
    return null;
  }
  settle(db, op, intent);
  return {
    operation: {
      ...op,
      outputSha256: intent.sha256,
      reachedLevel: intent.level ?? op.reachedLevel ?? null,
      tsaName: intent.tsaName ?? op.tsaName,
    },
    at: intent.at,
  };
}

/** A restamp extends a seal that succeeded; a queued level completes a pending one once its asked level is reached. */
function settle(
  db: Ledger,
  op: OperationRecord,
  v: { sha256: string; size: number; level: string | null; tsaName: string | null; at: string },
): void {
  const restamp = op.status === 'success';
  db.transaction(() => {
    advanceOperation(db, op.id, {
      reachedLevel: v.level ?? op.reachedLevel ?? 'B-LTA',
      outputSha256: v.sha256,
      tsaName: v.tsaName,
      done: restamp || v.level === op.level,
      restamp,
    });
    recordOperationFile(db, {
      operationId: op.id,
      level: v.level,
      path: op.outputPath!,
      sha256: v.sha256,
      size: v.size,
      at: v.at,
    });
    clearIntent(db, op.id);
  })();
}
