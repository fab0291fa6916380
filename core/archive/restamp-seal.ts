// One restamp of a sealed file Sealdesk knows: PAdES-LTA for a PDF (a new document time-stamp), an
// archive-time-stamp-v3 for a .p7s — both in place, atomically, only while the file is what the ledger recorded; with
// auto, only from a TSA whose certificate extends the seal's protection (RFC 3161 §4 restamping, extends-protection.ts).
import { CoreError } from '../errors.js';
import type { OperationRecord } from '../ledger/operations.js';
import { listTsas } from '../ledger/tsa.js';
import { restampPdf } from '../pades/restamp-pdf.js';
import type { MissingValidationDataOptions } from '../revocation/gather.js';
import { adoptInterruptedExtension } from '../ledger/extend-in-place.js';
import type { StampContext } from '../stamp/context.js';
import { NoTsaExtendsError, extendingOrder, verdictText } from './extends-protection.js';
import { restampP7s } from './restamp-p7s.js';

export type SealRestamp = {
  readonly operation: OperationRecord;
  readonly path: string;
  readonly tsaName: string;
  readonly format: 'pades' | 'cades';
  /** Revocation data that could not be had (restamped all the same: allowMissingValidationData); empty: complete. */
  readonly missing: readonly string[];
};

export type SealRestampOptions = MissingValidationDataOptions & {
  /** The end of a bulk run's window (default: now): with auto, the new time-stamp's TSA certificate must outlast it. */
  readonly windowEnd?: Date;
  /** The seal's protected-until as the ledger read it (null or absent: unknown, the window alone decides). */
  readonly protectedUntil?: string | null;
};

/** Without `allowMissingValidationData`, a seal whose validation data cannot all be had is refused (REVOCATION_UNAVAILABLE). */
export async function restampSeal(
  ctx: StampContext,
  found: OperationRecord,
  tsa: string,
  o: SealRestampOptions = {},
): Promise<SealRestamp> {
  // A restamp killed after its rename left the new file: take it as the ledger's version first.
  const op = (await adoptInterruptedExtension(ctx.db, found))?.operation ?? found;
  const once = async (choice: string) => {
    const r =
      op.signatureType === 'cades' ? await restampP7s(ctx, op, choice, o) : await restampPdf(ctx, op, choice, o);
    const format = op.signatureType === 'cades' ? ('cades' as const) : ('pades' as const);
    return { operation: r.operation, path: r.path, tsaName: r.tsaName, format, missing: r.missing };
  };
  if (tsa !== 'auto') return once(tsa);
  const windowEnd = o.windowEnd ?? ctx.now();
  const enabled = listTsas(ctx.db).filter((p) => p.enabled && p.url);
  const newest = enabled.find((p) => p.name === op.tsaName)?.slug ?? null;
  const x = extendingOrder(enabled, windowEnd, { protectedUntil: o.protectedUntil ?? null, tsaSlug: newest });
  if (x.order.length === 0) {
    throw new NoTsaExtendsError(
      op.id,
      x.skipped,
      x.skipped.map((v) => verdictText(v, windowEnd)).join('; '),
      windowEnd,
    );
  }
  if (x.skipped.length === 0) return once('auto'); // every TSA may extend it: round-robin and failover as always
  // Some would not: ask only the others, one plan each — those known to extend first (a time-stamp in a sealed file
  // cannot be taken back once published), then those never seen, the seal's newest TSA last.
  const known = (slug: string) => enabled.find((p) => p.slug === slug)?.lastCertNotAfter != null;
  const last = (p: { slug: string }) => Number(p.slug === newest);
  const order = [...x.order.filter((p) => known(p.slug)), ...x.order.filter((p) => !known(p.slug))].sort(
    (a, b) => last(a) - last(b),
  );
  let failed: unknown;
  for (const p of order) {
    try {
      return await once(p.slug);
    } catch (err) {
      if (!(err instanceof CoreError && err.code === 'ALL_TSAS_FAILED')) throw err;
      failed = err;
    }
  }
  throw failed;
}
