// Until when a sealed file is protected: the notAfter of the TSA certificate of its newest time-stamp — a PDF's
// signature or document time-stamps (ETSI EN 319 142-1), a .p7s's signature and archive time-stamps (EN 319 122-1).
// Read from the file once per version and kept in the ledger, so bulk selection is an index range scan.
import { readFile } from 'node:fs/promises';
import { embeddedTokens, signedDataLayout } from '../cms/archive-timestamp.js';
import { getOperation } from '../ledger/operations.js';
import {
  expiringSeals,
  getIntent,
  setProtectedUntil,
  staleProtection,
  type ExpiringSeal,
  type SealProtection,
} from '../ledger/seal-archive.js';
import { adoptInterruptedExtension } from '../ledger/extend-in-place.js';
import type { Ledger } from '../ledger/open.js';
import { chainEvidence } from '../pades/chain-evidence.js';
import { inspectTimeStamp } from '../tsp/token-report.js';
import { countDue, type DueCounts } from './due-counts.js';

/** Reads the protected-until date of every seal whose file changed since it was last read; returns how many. */
export async function refreshSealProtection(db: Ledger): Promise<number> {
  let n = 0;
  for (let batch = staleProtection(db); batch.length > 0; batch = staleProtection(db)) {
    for (const s of batch) {
      // An extension interrupted after its rename is adopted first, so the date is read from the version the ledger keeps.
      const op = getIntent(db, s.id) ? getOperation(db, s.id) : undefined;
      const adopted = op ? await adoptInterruptedExtension(db, op) : null;
      const current = adopted ? { ...s, outputSha256: adopted.operation.outputSha256! } : s;
      setProtectedUntil(db, s.id, await protectedUntilOf(current), current.outputSha256);
    }
    n += batch.length;
  }
  return n;
}

/** The sealed files due before `before` (protected-until read first where stale), counted as stamp chains are. */
export async function dueSeals(
  db: Ledger,
  before: Date,
): Promise<{ readonly seals: readonly ExpiringSeal[]; readonly counts: DueCounts }> {
  await refreshSealProtection(db);
  const seals = expiringSeals(db, before);
  return {
    seals,
    counts: countDue(
      seals.map((s) => ({ tsaName: s.tsaName, tsaCertNotAfter: s.protectedUntil, imprintAlgorithm: 'sealed' })),
    ),
  };
}

/** null: the file is gone or unreadable, or carries no time-stamp (a B-B seal: nothing to extend yet). */
async function protectedUntilOf(s: SealProtection): Promise<string | null> {
  try {
    const tokens =
      s.signatureType === 'pades'
        ? [...chainEvidence(s.outputPath).values()].map((e) => e.token)
        : embeddedTokens(signedDataLayout(new Uint8Array(await readFile(s.outputPath)))).map((e) => e.token);
    let newest: { genTime: string; notAfter: string } | null = null;
    for (const t of tokens) {
      const r = await inspectTimeStamp(t).catch(() => null);
      // Ties (one second apart at most) go to the later token: file order is chain order.
      if (r?.genTime && r.signer?.notAfter && (!newest || r.genTime >= newest.genTime))
        newest = { genTime: r.genTime, notAfter: r.signer.notAfter };
    }
    return newest?.notAfter ?? null;
  } catch {
    return null;
  }
}
