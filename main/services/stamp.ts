// Stamp view: files hashed here, stamped by the TSAs (auto or a chosen one), `.tsr` written beside each.
import { stampFiles, type BatchItem } from '../../core/stamp/index.js';
import type { StampItem } from '../../preload/api.js';
import { expandPaths, itemError, type ServiceContext } from './context.js';

export function stampService(c: ServiceContext) {
  return (r: { paths: string[]; tsa?: string; label?: string }): Promise<StampItem[]> =>
    c.withDb(async (db) => {
      const batch = await stampFiles(c.stampContext(db), expandPaths(r.paths), { tsa: r.tsa ?? 'auto', label: r.label });
      return batch.map(stampItem);
    });
}

/** One file's stamp as the Stamp view shows it. */
export function stampItem({ file, outcome, error }: BatchItem): StampItem {
  if (!outcome) return { file, error: itemError(error) };
  const rec = outcome.record;
  const base = { file, tsaName: rec.tsaName, genTime: rec.genTime, serial: rec.serialHex };
  if (outcome.kind === 'queued') return { ...base, queued: true };
  return { ...base, tsrPath: outcome.tsrPath, existing: outcome.kind === 'existing' };
}
