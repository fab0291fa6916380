// RFC 3161 §4 archive chains of standalone stamps: from the original stamp to the newest link, each link a time-stamp
// over the exact bytes of the previous link's .tsr, made while the previous TSA certificate was still valid.
import { toHex } from '../asn1/bytes.js';
import { isRequestHash } from '../asn1/oids.js';
import { CoreError } from '../errors.js';
import { hashBytes } from '../hash/hash-file.js';
import { childStamps, getStamp } from '../ledger/stamps.js';
import type { Ledger } from '../ledger/open.js';
import type { StampRecord } from '../model/stamp.js';
import type { RevocationContext } from '../revocation/collect.js';
import { inspectTimeStamp, type TokenReport } from '../tsp/token-report.js';
import { evaluateTrust, tsaTrustProblems } from '../validation/trust.js';
import { knownRevocations } from './chain-revocation.js';
import { judgeChain, type ChainVerdict, type LinkFacts, type LinkVerdict } from './chain-judge.js';

export type ChainLink = LinkVerdict & {
  readonly record: StampRecord;
  /** For every link after the first: its imprint is the digest of the previous link's exact .tsr bytes. */
  readonly coversPrevious: boolean | null;
};

export type Chain = ChainVerdict<ChainLink> & { readonly id: string };

export type ChainCheckOptions = {
  /** The trust store's anchors (the same `verify` uses): each TSA certificate is judged against them at its genTime. */
  readonly anchors: readonly Uint8Array[];
  /** Ask each TSA certificate's OCSP/CRL first (`chain --online`); null: what the ledger already holds. */
  readonly online?: RevocationContext | null;
};

/** The records of the chain `id` belongs to: back to its root, then forward along the newest child at each step. */
export function chainRecords(db: Ledger, id: string): StampRecord[] {
  let record = getStamp(db, id);
  if (!record) throw new CoreError('NOT_FOUND', `no record ${id}`);
  for (let guard = 0; record.parentId && guard < 10_000; guard++) record = getStamp(db, record.parentId) ?? record;
  const records: StampRecord[] = [record];
  for (
    let next = childStamps(db, record.id).at(-1);
    next && records.length < 10_000;
    next = childStamps(db, next.id).at(-1)
  )
    records.push(next);
  return records;
}

/** The chain of `id`, every link checked: its token, what it covers, when it was made, and its TSA's trust. */
export async function chainOf(db: Ledger, id: string, o: ChainCheckOptions): Promise<Chain> {
  const records = chainRecords(db, id);
  const tokens = await Promise.all(records.map((r) => (r.tsr ? inspectTimeStamp(r.tsr).catch(() => null) : null)));
  const facts = await Promise.all(records.map((r, i) => linkFacts(r, records[i - 1], tokens[i] ?? null, o.anchors)));
  const verdict = judgeChain(facts, await knownRevocations(db, tokens, o.online ?? null));
  return { id: records[0]!.id, ...verdict };
}

type StampLinkFacts = LinkFacts & Pick<ChainLink, 'record' | 'coversPrevious'>;

async function linkFacts(
  link: StampRecord,
  previous: StampRecord | undefined,
  token: TokenReport | null,
  anchors: readonly Uint8Array[],
): Promise<StampLinkFacts> {
  const stamped = link.status === 'stamped' && link.tsr !== null;
  const problems: string[] = [];
  if (!stamped) problems.push('not stamped yet (queued)');
  else if (!token) problems.push('its token cannot be read');
  else problems.push(...token.problems);
  const alg = link.imprintAlgorithm;
  const coversPrevious = previous
    ? previous.tsr !== null && isRequestHash(alg) && link.imprintHex === toHex(hashBytes(alg, previous.tsr))
    : null;
  if (coversPrevious === false) problems.push("its imprint is not the digest of the previous link's .tsr bytes");
  const trust =
    token?.signerDer && token.genTime
      ? await evaluateTrust(token.signerDer, {
          anchors,
          intermediates: token.certificates,
          at: new Date(token.genTime),
        })
      : null;
  return {
    record: link,
    coversPrevious,
    genTime: link.genTime,
    tsaCertNotAfter: stamped ? link.tsaCertNotAfter : null,
    problems,
    trustProblems: tsaTrustProblems(trust),
  };
}
