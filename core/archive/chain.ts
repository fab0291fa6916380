// RFC 3161 §4 archive chains of standalone stamps: from the original stamp to the newest link, each link a time-stamp
// over the exact bytes of the previous link's .tsr, made while the previous TSA certificate was still valid.
import { toHex } from '../asn1/bytes.js';
import { isRequestHash } from '../asn1/oids.js';
import { CoreError } from '../errors.js';
import { hashBytes } from '../hash/hash-file.js';
import { childStamps, getStamp } from '../ledger/stamps.js';
import type { Ledger } from '../ledger/open.js';
import type { StampRecord } from '../model/stamp.js';

export type ChainLink = {
  readonly record: StampRecord;
  /** For every link after the first: its imprint is the digest of the previous link's exact .tsr bytes. */
  readonly coversPrevious: boolean | null;
  /** Made while the previous link's TSA certificate was valid (null for the first link). */
  readonly madeInTime: boolean | null;
  /** When the ledger knows this link's TSA certificate was revoked (set by withRevocations; absent: not checked). */
  readonly tsaRevokedAt?: string | null;
  readonly problems: readonly string[];
};

export type Chain = { readonly id: string; readonly links: readonly ChainLink[]; readonly protectedUntil: string | null; readonly intact: boolean };

/** The chain a record belongs to: back to its root, then forward along the newest child at each step. */
export function chainOf(db: Ledger, id: string): Chain {
  let record = getStamp(db, id);
  if (!record) throw new CoreError('NOT_FOUND', `no record ${id}`);
  for (let guard = 0; record.parentId && guard < 10_000; guard++) record = getStamp(db, record.parentId) ?? record;
  const records: StampRecord[] = [record];
  for (let next = childStamps(db, record.id).at(-1); next && records.length < 10_000; next = childStamps(db, next.id).at(-1)) records.push(next);
  const links = records.map((r, i) => check(r, records[i - 1]));
  const newest = records.at(-1)!;
  return { id: records[0]!.id, links, protectedUntil: newest.status === 'stamped' ? newest.tsaCertNotAfter : null, intact: links.every((l) => l.problems.length === 0) };
}

function check(link: StampRecord, previous: StampRecord | undefined): ChainLink {
  if (!previous) return { record: link, coversPrevious: null, madeInTime: null, problems: link.status === 'stamped' ? [] : ['not stamped yet (queued)'] };
  const problems: string[] = [];
  const alg = link.imprintAlgorithm;
  const coversPrevious = previous.tsr !== null && isRequestHash(alg) && link.imprintHex === toHex(hashBytes(alg, previous.tsr));
  if (!coversPrevious) problems.push("its imprint is not the digest of the previous link's .tsr bytes");
  const madeInTime = link.genTime !== null && previous.tsaCertNotAfter !== null && new Date(link.genTime) <= new Date(previous.tsaCertNotAfter);
  if (!madeInTime) problems.push(`made ${link.genTime ?? '(not yet)'}, after the previous TSA certificate expired (${previous.tsaCertNotAfter ?? 'unknown'})`);
  return { record: link, coversPrevious, madeInTime, problems };
}
