// What a remote seal (core/app/remote-seal.ts) checks before it writes anything the server sent back: verified by
// core/app/verify-any in a scratch folder, a sealed PDF must begin with the exact bytes sent (an incremental update)
// and its last signature be intact over the whole file; a .p7s must cover the bytes sent. Both TOTAL-PASSED, or
// INDETERMINATE only because the server's CA is not a trust anchor here (or revocation data could not be had).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreError, errorMessage } from '../errors.js';
import type { Ledger } from '../ledger/open.js';
import { verifyAny, type VerifyAnyItem } from './verify-any.js';

/** Trust is the one thing allowed to be missing: the server's CA need not be a trust anchor here. */
const TRUST_ONLY = new Set(['NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER']);

export async function verifyReturned(
  ctx: { readonly db: Ledger; readonly now: () => Date },
  path: string,
  sent: Uint8Array,
  output: Uint8Array,
  format: 'pades' | 'cades',
): Promise<{ indication: string; subIndication: string | null }> {
  const dir = await mkdtemp(join(tmpdir(), 'sealdesk-remote-seal-'));
  try {
    const doc = join(dir, 'content');
    const sealed = format === 'pades' ? join(dir, 'sealed.pdf') : join(dir, 'sealed.p7s');
    await writeFile(sealed, output);
    if (format === 'cades') await writeFile(doc, sent);
    const vctx = { db: ctx.db, ledgerPath: ctx.db.name, now: ctx.now };
    const [item] = await verifyAny(
      vctx,
      [format === 'pades' ? sealed : doc],
      format === 'cades' ? { p7s: sealed } : {},
    );
    const why = refusal(item!, sent, output);
    if (why) throw new CoreError('SIGNATURE_BROKEN', `the server's seal of ${path} was not kept: ${why}`);
    const r = (item as { report: { indication: string; subIndication: string | null } }).report;
    return { indication: r.indication, subIndication: r.subIndication };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Why the returned file is not a sound seal of what was sent, or null. */
function refusal(item: VerifyAnyItem, sent: Uint8Array, output: Uint8Array): string | null {
  if ('error' in item) return errorMessage(item.error);
  if (item.kind === 'pdf') {
    if (!Buffer.from(output.subarray(0, sent.length)).equals(Buffer.from(sent)))
      return 'the sealed PDF does not begin with the document sent (not an incremental update of it)';
    const last = item.report.signatures.at(-1);
    if (!last || !last.intact || !last.coversWholeDocument)
      return 'its last signature is not intact over the whole file';
  } else if (item.kind === 'p7s') {
    if (!item.report.intact) return item.report.error ?? 'the signature does not cover the file';
  } else return `unexpected ${item.kind} answer`;
  const r = item.report;
  if (r.indication === 'TOTAL-PASSED') return null;
  if (r.indication === 'INDETERMINATE' && r.subIndication && TRUST_ONLY.has(r.subIndication)) return null;
  return `${r.indication}${r.subIndication ? ` (${r.subIndication})` : ''}`;
}
