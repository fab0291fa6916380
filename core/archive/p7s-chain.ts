// The archive chain of a detached CAdES seal (ETSI EN 319 122-1 §5.5.3): its signature time-stamp, then each
// archive-time-stamp-v3 in order — each checked by the verifier (a sound token, its ATSv3 imprint, its TSA chain),
// each made while the previous TSA certificate was valid; protected until the newest TSA certificate's notAfter.
import { readFile } from 'node:fs/promises';
import { CoreError, errorMessage } from '../errors.js';
import { hashFile } from '../hash/hash-file.js';
import { getOperation } from '../ledger/operations.js';
import type { Ledger } from '../ledger/open.js';
import { verifyCades } from '../validation/cades-report.js';

export type P7sChainLink = { readonly kind: 'signature-timestamp' | 'archive-timestamp'; readonly genTime: string | null; readonly tsaName: string | null; readonly tsaCertNotAfter: string | null; readonly intact: boolean; readonly madeInTime: boolean | null; readonly problems: readonly string[] };
export type P7sChain = { readonly id: string; readonly path: string; readonly links: readonly P7sChainLink[]; readonly protectedUntil: string | null; readonly intact: boolean };

export async function p7sChainOf(db: Ledger, id: string, anchors: readonly Uint8Array[]): Promise<P7sChain> {
  const op = getOperation(db, id);
  if (!op || op.signatureType !== 'cades' || !op.outputPath || !op.filePath) throw new CoreError('NOT_FOUND', `no .p7s seal ${id}`);
  const content = op.filePath;
  const p7s = new Uint8Array(await readFile(op.outputPath).catch((err: unknown) => {
    throw new CoreError('NOT_FOUND', `${op.outputPath} cannot be read (${errorMessage(err)})`);
  }));
  const report = await verifyCades(p7s, { digestContent: async (alg) => (await hashFile(content, [alg])).digests[alg], anchors, now: new Date() });
  const checks = [report.signatureTimestamp, ...report.archiveTimestamps].filter((c) => c !== null);
  const raw = checks.map((c) => ({ kind: c.kind, genTime: c.genTime, tsaName: c.tsaName, tsaCertNotAfter: c.tsa?.notAfter ?? null, intact: c.valid, problems: c.problems }));
  const links = raw.map((l, i): P7sChainLink => {
    const prev = raw[i - 1];
    const madeInTime = prev ? l.genTime !== null && prev.tsaCertNotAfter !== null && l.genTime <= prev.tsaCertNotAfter : null;
    return { ...l, madeInTime, problems: madeInTime === false ? [...l.problems, `made after the previous TSA certificate expired (${prev!.tsaCertNotAfter})`] : l.problems };
  });
  return { id, path: op.outputPath, links, protectedUntil: links.at(-1)?.tsaCertNotAfter ?? null, intact: links.length > 0 && links.every((l) => l.intact && l.madeInTime !== false) };
}
