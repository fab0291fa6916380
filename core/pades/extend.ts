// Bringing a sealed PDF up the baseline levels by appending revisions: a document time-stamp when the seal has no
// time proof yet (B-B → B-T), the DSS with validation data (→ B-LT), a document time-stamp over it (→ B-LTA).
import type { TsaFailure } from '../errors.js';
import type { StagedFile } from '../fs/staged.js';
import type { StampContext } from '../stamp/context.js';
import { appendDocTimestamp } from './doc-timestamp.js';
import { appendDss } from './dss.js';
import { atLeast, levelRank, type PadesLevel } from './levels.js';

export type ExtendOutcome = {
  readonly reached: PadesLevel;
  /** TSAs whose tokens were added on the way (signature or document time-stamps). */
  readonly timestampedBy: string | null;
  readonly qualified: boolean;
  /** Why the requested level was not reached (the rest waits in the queue). */
  readonly stopped: string | null;
  readonly failures: readonly TsaFailure[];
};

export type ExtendInput = {
  readonly from: PadesLevel;
  readonly to: PadesLevel;
  readonly tsa: string;
  readonly operationId: string;
  /** DER of every CMS already in the file whose certificates need validation data (the seal, its tokens). */
  readonly cms: readonly Uint8Array[];
};

export async function extendToLevel(ctx: StampContext, staged: StagedFile, x: ExtendInput): Promise<ExtendOutcome> {
  let reached = x.from;
  let timestampedBy: string | null = null;
  let qualified = false;
  const cms = [...x.cms];
  const stop = (why: string): ExtendOutcome => ({ reached, timestampedBy, qualified, stopped: why, failures });
  let failures: readonly TsaFailure[] = [];
  const docTimestamp = async (): Promise<boolean> => {
    const ts = await appendDocTimestamp(ctx, staged, x.tsa, x.operationId);
    failures = ts.failures;
    if (!ts.token || !ts.provider) return false;
    cms.push(ts.token);
    timestampedBy = ts.provider.name;
    qualified = ts.provider.qualified;
    return true;
  };
  if (levelRank(reached) < levelRank('B-T') && atLeast(x.to, 'B-T')) {
    if (!(await docTimestamp())) return stop('no TSA answered for the document time-stamp');
    reached = 'B-T';
  }
  if (reached === 'B-T' && atLeast(x.to, 'B-LT')) {
    const missing = await appendDss(ctx, staged, cms);
    if (missing.length) return stop(`revocation data missing: ${missing.join('; ')}`);
    reached = 'B-LT';
  }
  if (reached === 'B-LT' && x.to === 'B-LTA') {
    if (!(await docTimestamp())) return stop('no TSA answered for the archive document time-stamp');
    reached = 'B-LTA';
  }
  return { reached, timestampedBy, qualified, stopped: null, failures: [] };
}
