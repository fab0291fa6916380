// Portable copies of the ledger: a consistent SQLite backup (online, while in use) and JSON lines with the raw
// tokens and signatures (base64), each written beside its destination and published without overwriting anything.
import { StagedFile } from '../fs/staged.js';
import { tempBeside } from '../fs/atomic.js';
import { link, unlink } from 'node:fs/promises';
import { CoreError, errorMessage } from '../errors.js';
import type { Ledger } from './open.js';

export async function backupLedger(db: Ledger, out: string): Promise<void> {
  const temp = tempBeside(out);
  try {
    await db.backup(temp);
    await link(temp, out);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new CoreError('OUTPUT_EXISTS', `${out} already exists; Sealdesk never overwrites a file`);
    throw new CoreError('OUTPUT_UNWRITABLE', `cannot write ${out}: ${errorMessage(err)}`, { cause: err });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

const b64 = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v);

/** One JSON object per line: every stamp (with its TimeStampResp), seal operation (with its signature), trust anchor. */
export async function exportLedger(db: Ledger, out: string): Promise<{ lines: number }> {
  const staged = await StagedFile.create(out);
  let lines = 0;
  try {
    for (const [kind, table] of [
      ['stamp', 'stamps'],
      ['seal', 'operations'],
      ['trust-anchor', 'trust_anchors'],
    ] as const) {
      let batch: string[] = [];
      for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).iterate() as Iterable<
        Record<string, unknown>
      >) {
        batch.push(JSON.stringify({ kind, ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, b64(v)])) }));
        if (batch.length === 1000) {
          await staged.append(Buffer.from(`${batch.join('\n')}\n`));
          lines += batch.length;
          batch = [];
        }
      }
      if (batch.length) await staged.append(Buffer.from(`${batch.join('\n')}\n`));
      lines += batch.length;
    }
    await staged.publishNew(out);
    return { lines };
  } catch (err) {
    await staged.discard();
    throw err;
  }
}
