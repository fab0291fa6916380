// Use cases over the ledger's records: the history list (stamps and seals, newest first), one record in full, a
// record's archive chain (RFC 3161 §4 links of a stamp, the time-stamps of a sealed PDF or .p7s) with its
// protected-until date and export, and lookup (has this content been stamped?). CLI and desktop print these results.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chainOf, type Chain } from '../archive/chain.js';
import type { LinkVerdict } from '../archive/chain-judge.js';
import { exportP7sChain } from '../archive/p7s-chain-export.js';
import { p7sChainOf, type P7sChain } from '../archive/p7s-chain.js';
import { exportPdfChain, type ExportedLink } from '../archive/pdf-chain-export.js';
import { pdfChainOf, type PdfChain } from '../archive/pdf-chain.js';
import { toHex } from '../asn1/bytes.js';
import { CoreError } from '../errors.js';
import { writeNewFile } from '../fs/atomic.js';
import { hashFile } from '../hash/hash-file.js';
import type { Ledger } from '../ledger/open.js';
import { getOperation, listOperations, operationFiles, type OperationRecord } from '../ledger/operations.js';
import { getStamp, history, stampsForFile } from '../ledger/stamps.js';
import { hasImprintOnlyStamps, remoteStampsByImprint, UNKNOWN_SHA512 } from '../ledger/sync.js';
import { listTrustAnchors } from '../ledger/trust-anchors.js';
import type { StampRecord } from '../model/stamp.js';
import type { RevocationContext } from '../revocation/collect.js';

export type HistoryQuery = { readonly search?: string; readonly page?: number; readonly pageSize?: number };
export type HistoryEntry = {
  readonly kind: 'stamp' | 'seal';
  readonly id: string;
  readonly label: string | null;
  readonly file: string | null;
  readonly status: string;
  readonly createdAt: string;
  readonly detail: string;
  /** Made on this machine, or pulled from the sync server (a colleague's record). */
  readonly origin: 'local' | 'remote';
};

/** One page of stamps and one of seals, and both merged newest first. */
export function historyList(db: Ledger, q: HistoryQuery) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const stamps = history(db, { search: q.search, page, pageSize });
  const seals = listOperations(db, { search: q.search, page, pageSize });
  const items: HistoryEntry[] = [
    ...stamps.items.map((s) => ({
      kind: 'stamp' as const,
      id: s.id,
      label: s.label,
      file: s.filePath,
      status: s.status,
      createdAt: s.createdAt,
      detail: s.status === 'stamped' ? `${s.tsaName ?? ''} · ${s.genTime ?? ''}` : 'queued: waiting for a TSA',
      origin: s.origin ?? 'local',
    })),
    ...seals.items.map((o) => ({
      kind: 'seal' as const,
      id: o.id,
      label: o.label,
      file: o.outputPath ?? o.filePath,
      status: o.status,
      createdAt: o.createdAt,
      detail: `${o.signatureType === 'pades' ? `PAdES ${o.reachedLevel ?? ''}` : 'CAdES'} · ${o.certLabel ?? ''}`,
      origin: o.origin ?? 'local',
    })),
  ].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { total: stamps.total + seals.total, stamps, seals, items };
}

/** One page of seal operations, each with every version of the file the seal wrote (a .p7s gets versions once
 * restamped in place). */
export function sealOperations(db: Ledger, q: HistoryQuery) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const r = listOperations(db, { search: q.search, page, pageSize });
  const items = r.items.map((o) => ({
    id: o.id,
    documentHash: o.documentSha512,
    label: o.label,
    status: o.status,
    createdAt: o.createdAt,
    certLabel: o.certLabel,
    signatureType: o.signatureType,
    hasP7s: o.signatureType === 'cades' && o.signature !== null,
    tsaName: o.tsaName,
    filePath: o.filePath,
    outputPath: o.outputPath,
    ...(o.signatureType === 'pades' ? { level: o.level, reachedLevel: o.reachedLevel } : {}),
    outputSha256: o.outputSha256,
    files: operationFiles(db, o.id).map(({ step, level, path, sha256, size, at }) => ({
      step,
      level,
      path,
      sha256,
      size,
      at,
    })),
  }));
  return { total: r.total, page, pageSize, items };
}

export type RecordDetails = {
  readonly fields: readonly (readonly [string, string])[];
  readonly files: readonly {
    readonly step: number;
    readonly level: string | null;
    readonly path: string;
    readonly sha256: string;
    readonly at: string;
  }[];
};

/** One record in full: what was stamped or sealed, by whom, and (for seals) every version of the file written. */
export function recordDetails(db: Ledger, kind: 'stamp' | 'seal', id: string): RecordDetails {
  if (kind === 'stamp') {
    const s = getStamp(db, id);
    if (!s) throw new CoreError('NOT_FOUND', `no stamp ${id}`);
    return {
      fields: [
        ['File', s.filePath ?? ''],
        ['File SHA-512', s.fileSha512 === UNKNOWN_SHA512 ? 'not known (pulled: known by its imprint)' : s.fileSha512],
        ['Imprint', `${s.imprintAlgorithm}: ${s.imprintHex}`],
        ['Status', s.status],
        ['TSA', s.tsaName ?? ''],
        ['Time', s.genTime ?? ''],
        ['Serial', s.serialHex ?? ''],
        ['Policy', s.policyOid ?? ''],
        ['TSA certificate until', s.tsaCertNotAfter ?? ''],
        ['Token', s.tsrPath ?? ''],
        ['Origin', s.origin === 'remote' ? 'pulled from the server' : 'made here'],
      ],
      files: [],
    };
  }
  const o = getOperation(db, id);
  if (!o) throw new CoreError('NOT_FOUND', `no seal ${id}`);
  const format = o.signatureType === 'pades' ? `PAdES (asked ${o.level}, reached ${o.reachedLevel})` : 'CAdES';
  return {
    fields: [
      ['Sealed file', o.filePath ?? ''],
      ['Document SHA-512', o.documentSha512],
      ['Format', format],
      ['Certificate', o.certLabel ?? ''],
      ['Time-stamped by', o.tsaName ?? 'not yet'],
      ['Status', o.status],
      ['Output', o.outputPath ?? ''],
    ],
    files: operationFiles(db, o.id).map((f) => ({
      step: f.step,
      level: f.level,
      path: f.path,
      sha256: f.sha256,
      at: f.at,
    })),
  };
}

export type FoundChain =
  | { readonly kind: 'stamp'; readonly chain: Chain }
  | { readonly kind: 'pdf'; readonly chain: PdfChain }
  | { readonly kind: 'p7s'; readonly chain: P7sChain; readonly sealed: OperationRecord };

/** A record's chain, judged against the trust store's anchors; `online`: each TSA certificate's revocation asked first.
 * null: a seal not written yet (queued), so without a chain. */
export async function recordChain(
  db: Ledger,
  id: string,
  online: RevocationContext | null = null,
): Promise<FoundChain | null> {
  const anchors = listTrustAnchors(db).map((a) => a.der);
  const op = getOperation(db, id);
  if (!op) return { kind: 'stamp', chain: await chainOf(db, id, { anchors, online }) };
  if (!op.outputPath) return null;
  if (op.signatureType === 'cades')
    return { kind: 'p7s', chain: await p7sChainOf(db, id, anchors, online), sealed: op };
  return { kind: 'pdf', chain: await pdfChainOf(db, id, anchors, online) };
}

/** What a display row keeps of a link's verdict. */
type Verdict = Pick<LinkVerdict, 'intact' | 'trusted' | 'problems' | 'trustProblems'>;
type ViewLink = Verdict & {
  readonly n: number;
  readonly id: string | null;
  readonly kind: 'stamp' | 'signature-timestamp' | 'document-timestamp' | 'archive-timestamp';
  readonly genTime: string | null;
  readonly tsaName: string | null;
  readonly hashAlgorithm: string | null;
  readonly tsaCertNotAfter: string | null;
};
/** The chain flattened for display: one row per link, the verdicts kept apart (intact, trusted). */
export type ChainSummary = {
  readonly id: string;
  readonly kind: 'stamp' | 'pdf' | 'p7s';
  readonly links: readonly ViewLink[];
  readonly intact: boolean;
  readonly trusted: boolean;
  readonly protectedUntil: string | null;
};

const verdict = (l: Verdict): Verdict => ({
  intact: l.intact,
  trusted: l.trusted,
  problems: l.problems,
  trustProblems: l.trustProblems,
});

export function chainView(f: FoundChain): ChainSummary {
  const c = f.chain;
  const head = { id: c.id, kind: f.kind, intact: c.intact, trusted: c.trusted, protectedUntil: c.protectedUntil };
  if (f.kind === 'stamp') {
    return {
      ...head,
      links: f.chain.links.map((l, i) => ({
        n: i + 1,
        id: l.record.id,
        kind: 'stamp' as const,
        genTime: l.record.genTime,
        tsaName: l.record.tsaName,
        hashAlgorithm: l.record.imprintAlgorithm,
        tsaCertNotAfter: l.record.tsaCertNotAfter,
        ...verdict(l),
      })),
    };
  }
  const links: readonly (LinkVerdict & Pick<ViewLink, 'kind' | 'genTime' | 'tsaName' | 'tsaCertNotAfter'>)[] =
    f.chain.links;
  return {
    ...head,
    links: links.map((l, i) => ({
      n: i + 1,
      id: null,
      kind: l.kind,
      genTime: l.genTime,
      tsaName: l.tsaName,
      hashAlgorithm: null,
      tsaCertNotAfter: l.tsaCertNotAfter,
      ...verdict(l),
    })),
  };
}

/** A stamp chain as JSON (the CLI's `--json` and the export's manifest.json). */
export function stampChainJson(c: Chain) {
  return {
    id: c.id,
    protectedUntil: c.protectedUntil,
    intact: c.intact,
    trusted: c.trusted,
    links: c.links.map((l, i) => ({
      n: i + 1,
      id: l.record.id,
      parentTransactionId: l.record.parentId,
      tsaName: l.record.tsaName,
      genTime: l.record.genTime,
      serial: l.record.serialHex,
      hashAlgorithm: l.record.imprintAlgorithm,
      tsaCertNotAfter: l.record.tsaCertNotAfter,
      tsaRevokedAt: l.tsaRevokedAt,
      tsrPath: l.record.tsrPath,
      coversPrevious: l.coversPrevious,
      madeInTime: l.madeInTime,
      intact: l.intact,
      trusted: l.trusted,
      problems: l.problems,
      trustProblems: l.trustProblems,
    })),
  };
}

/** Every link's exact bytes into `dir`, so an auditor can check the chain with OpenSSL alone: a stamp chain as
 * link-N.tsr + manifest.json (null returned), a sealed file's links as tokens and the bytes each covers. */
export async function exportChain(f: FoundChain, dir: string): Promise<readonly ExportedLink[] | null> {
  if (f.kind === 'p7s') return exportP7sChain(f.chain, f.sealed, dir);
  if (f.kind === 'pdf') return exportPdfChain(f.chain, dir);
  mkdirSync(dir, { recursive: true });
  for (const [i, l] of f.chain.links.entries())
    if (l.record.tsr) await writeNewFile(join(dir, `link-${i + 1}.tsr`), l.record.tsr);
  await writeNewFile(join(dir, 'manifest.json'), Buffer.from(`${JSON.stringify(stampChainJson(f.chain), null, 2)}\n`));
  return null;
}

/** Has this content been stamped? `fileOrHash`: a file (hashed here), or a SHA-512 in hex when no such file exists. */
export async function lookup(
  db: Ledger,
  fileOrHash: string,
): Promise<{ readonly sha512: string; readonly records: readonly StampRecord[] }> {
  const isHex = /^[0-9a-fA-F]{128}$/.test(fileOrHash) && !existsSync(fileOrHash);
  if (isHex) return { sha512: fileOrHash.toLowerCase(), records: stampsForFile(db, fileOrHash.toLowerCase()) };
  // SHA-256/384 too: a colleague's stamp pulled from the server may carry only such an imprint of the content.
  if (!hasImprintOnlyStamps(db)) {
    const sha512 = toHex((await hashFile(fileOrHash, ['sha512'])).digests.sha512);
    return { sha512, records: stampsForFile(db, sha512) };
  }
  const { digests } = await hashFile(fileOrHash, ['sha512', 'sha256', 'sha384']);
  const sha512 = toHex(digests.sha512);
  const remote = remoteStampsByImprint(db, [digests.sha256, digests.sha384]);
  return { sha512, records: [...stampsForFile(db, sha512), ...remote] };
}
