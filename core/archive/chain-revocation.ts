// RFC 3161 §4 and ETSI EN 319 102-1 §5.6.2.5: a link protects the one before it only if it was made before that
// link's TSA certificate was revoked. Checked against every revocation answer the ledger holds (cached when seals
// or `chain --online` fetched them); `online` fetches each TSA certificate's status first.
import { createHash } from 'node:crypto';
import { bytesEqual } from '../asn1/bytes.js';
import { certificateFacts } from '../asn1/certificate.js';
import { CoreError } from '../errors.js';
import { knownRevocationData } from '../ledger/revocation-cache.js';
import { listTrustAnchors } from '../ledger/trust-anchors.js';
import type { Ledger } from '../ledger/open.js';
import { certificateOf, checkCrl, checkOcspResponse, revocationFor, revocationSources, type RevocationContext } from '../revocation/index.js';
import { inspectTimeStamp } from '../tsp/token-report.js';
import type { StampRecord } from '../model/stamp.js';
import type { Chain, ChainLink } from './chain.js';

/** The chain with each link's known TSA-certificate revocation, the problems it causes, and protectedUntil cut to it. */
export async function withRevocations(db: Ledger, chain: Chain, online: RevocationContext | null = null): Promise<Chain> {
  const revoked = await Promise.all(chain.links.map((l) => knownTsaRevocation(db, l.record, online)));
  const links = chain.links.map((l, i): ChainLink => {
    const own = revoked[i];
    const prev = i > 0 ? revoked[i - 1] : null;
    const made = l.record.genTime ? new Date(l.record.genTime) : null;
    const problems = [...l.problems];
    if (own && made && made >= own) problems.push(`made after its own TSA certificate was revoked (${own.toISOString()})`);
    if (prev && made && made >= prev) problems.push(`made after the previous TSA certificate was revoked (${prev.toISOString()}): it does not protect the previous link`);
    if (own && i === chain.links.length - 1) problems.push(`its TSA certificate was revoked on ${own.toISOString()}: this chain can no longer be extended — the record needs a new time-stamp over the document itself`);
    return { ...l, tsaRevokedAt: own?.toISOString() ?? null, problems };
  });
  const newest = revoked.at(-1);
  const protectedUntil = newest && chain.protectedUntil && newest.toISOString() < chain.protectedUntil ? newest.toISOString() : chain.protectedUntil;
  return { ...chain, links, protectedUntil, intact: links.every((l) => l.problems.length === 0) };
}

/** When the record's TSA certificate was revoked, by what the ledger knows (after an online look-up if asked); null if not known revoked. */
export async function knownTsaRevocation(db: Ledger, record: StampRecord, online: RevocationContext | null = null): Promise<Date | null> {
  if (!record.tsr) return null;
  const token = await inspectTimeStamp(record.tsr).catch(() => null);
  const certDer = token?.signerDer;
  if (!token || !certDer) return null;
  const facts = certificateFacts(certDer);
  const issuerDer = [...token.certificates, ...listTrustAnchors(db).map((a) => a.der)].find((c) => certificateFacts(c).subject === facts.issuer && !bytesEqual(c, certDer));
  if (!issuerDer) return null; // no issuer to check an answer's signature with: nothing known
  if (online) await revocationFor(online, certDer, issuerDer).catch((err: unknown) => {
    if (!(err instanceof CoreError)) throw err; // REVOCATION_UNAVAILABLE / CERT_REVOKED: what was fetched is cached
  });
  const [cert, issuer] = [certificateOf(certDer), certificateOf(issuerDer)];
  const sha256 = createHash('sha256').update(certDer).digest('hex');
  let earliest: Date | null = null;
  for (const r of knownRevocationData(db, sha256, revocationSources(certDer).crl)) {
    // Each answer is judged as of when it was fetched: a revocation stays a revocation after nextUpdate passes.
    const status = await (r.kind === 'ocsp' ? checkOcspResponse(r.der, cert, issuer, new Date(r.fetchedAt)) : checkCrl(r.der, cert, issuer, new Date(r.fetchedAt))).catch(() => null);
    if (status?.status !== 'revoked') continue;
    const at = status.revokedAt ?? new Date(0); // a revocation without a time: conservatively, since always
    if (!earliest || at < earliest) earliest = at;
  }
  return earliest;
}
