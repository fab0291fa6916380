// One meaning of an archive chain for stamps, sealed PDFs and .p7s seals (RFC 3161 §4, ETSI EN 319 102-1 §5.6.2.5):
// intact = every token sound and covering what it must, each made while the previous TSA certificate was valid and
// before any revocation of it the ledger knows; trusted = every TSA certificate chains to an anchor of the trust store.

/** What a chain's reader found about one link, before the chain-wide checks. */
export type LinkFacts = {
  readonly genTime: string | null;
  readonly tsaCertNotAfter: string | null;
  /** Structure and cryptography: the token unreadable, its signature, what its imprint covers. */
  readonly problems: readonly string[];
  /** Why its TSA is not trusted (see tsaTrustProblems). */
  readonly trustProblems: readonly string[];
};

export type LinkVerdict = {
  /** Made while the previous link's TSA certificate was valid (null for the first link). */
  readonly madeInTime: boolean | null;
  /** When the ledger knows this link's TSA certificate was revoked; null: not known revoked. */
  readonly tsaRevokedAt: string | null;
  /** Sound, covers what it must, made in time and before any known revocation: `problems` is empty. */
  readonly intact: boolean;
  /** Its TSA certificate chains to an anchor of the trust store: `trustProblems` is empty. */
  readonly trusted: boolean;
  readonly problems: readonly string[];
  readonly trustProblems: readonly string[];
};

export type ChainVerdict<L> = {
  readonly links: readonly L[];
  /** The newest TSA certificate's notAfter, or its known revocation if earlier: when the next restamp is due. */
  readonly protectedUntil: string | null;
  readonly intact: boolean;
  readonly trusted: boolean;
};

/** The chain-wide checks over each link's facts, oldest first; `revokedAt[i]`: the ledger's revocation of link i's TSA. */
export function judgeChain<T extends LinkFacts>(
  facts: readonly T[],
  revokedAt: readonly (Date | null)[],
): ChainVerdict<T & LinkVerdict> {
  const links = facts.map((link, i): T & LinkVerdict => {
    const prev = facts[i - 1];
    const made = link.genTime ? new Date(link.genTime) : null;
    const problems = [...link.problems];
    const madeInTime = prev
      ? made !== null && prev.tsaCertNotAfter !== null && made <= new Date(prev.tsaCertNotAfter)
      : null;
    if (madeInTime === false)
      problems.push(
        `made ${link.genTime ?? '(not yet)'}, after the previous TSA certificate expired (${prev?.tsaCertNotAfter ?? 'unknown'})`,
      );
    const own = revokedAt[i] ?? null;
    const previous = i > 0 ? (revokedAt[i - 1] ?? null) : null;
    if (own && made && made >= own)
      problems.push(`made after its own TSA certificate was revoked (${own.toISOString()})`);
    if (previous && made && made >= previous)
      problems.push(
        `made after the previous TSA certificate was revoked (${previous.toISOString()}): it does not protect the previous link`,
      );
    if (own && i === facts.length - 1)
      problems.push(
        `its TSA certificate was revoked on ${own.toISOString()}: this chain can no longer be extended — the record needs a new time-stamp over the document itself`,
      );
    return {
      ...link,
      madeInTime,
      tsaRevokedAt: own?.toISOString() ?? null,
      intact: problems.length === 0,
      trusted: link.trustProblems.length === 0,
      problems,
      trustProblems: link.trustProblems,
    };
  });
  const newest = links.at(-1);
  const revoked = revokedAt.at(-1)?.toISOString() ?? null;
  const until = newest?.tsaCertNotAfter ?? null;
  const protectedUntil = revoked && until && revoked < until ? revoked : until;
  return {
    links,
    protectedUntil,
    intact: links.length > 0 && links.every((l) => l.intact),
    trusted: links.length > 0 && links.every((l) => l.trusted),
  };
}
