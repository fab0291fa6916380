// RFC 3161 §4 and ETSI EN 319 102-1 §5.6.2.5: a link protects the one before it only if it was made before that
// link's TSA certificate was revoked. What the ledger knows of each TSA certificate's revocation, from every answer it
// holds (cached when seals, restamps or `chain --online` fetched them); `online` fetches each status first.
import { createHash } from 'node:crypto';
import { bytesEqual } from '../asn1/bytes.js';
import { certificateFacts } from '../asn1/certificate.js';
import { CoreError } from '../errors.js';
import { knownRevocationData } from '../ledger/revocation-cache.js';
import { anyRevocationKnown } from '../ledger/restamp-jobs.js';
import { listTrustAnchors } from '../ledger/trust-anchors.js';
import type { Ledger } from '../ledger/open.js';
import {
  certificateOf,
  checkCrl,
  checkOcspResponse,
  revocationFor,
  revocationSources,
  type RevocationContext,
} from '../revocation/index.js';
import { inspectTimeStamp, type TokenReport } from '../tsp/token-report.js';
import type { StampRecord } from '../model/stamp.js';

/** For each token of a chain, when the ledger knows its TSA certificate was revoked (null: not known revoked or no
 * token). Nothing is decoded when the ledger holds no revocation answer at all and no online look-up is asked. */
export async function knownRevocations(
  db: Ledger,
  tokens: readonly (Uint8Array | TokenReport | null)[],
  online: RevocationContext | null = null,
): Promise<(Date | null)[]> {
  if (!online && !anyRevocationKnown(db)) return tokens.map(() => null);
  return Promise.all(
    tokens.map(async (t) => {
      const report = t instanceof Uint8Array ? await inspectTimeStamp(t).catch(() => null) : t;
      return report ? knownRevocation(db, report, online) : null;
    }),
  );
}

/** When the record's TSA certificate was revoked, by what the ledger knows (after an online look-up if asked); null if not known revoked. */
export async function knownTsaRevocation(
  db: Ledger,
  record: StampRecord,
  online: RevocationContext | null = null,
): Promise<Date | null> {
  if (!record.tsr) return null;
  const token = await inspectTimeStamp(record.tsr).catch(() => null);
  return token ? knownRevocation(db, token, online) : null;
}

async function knownRevocation(
  db: Ledger,
  token: Pick<TokenReport, 'signerDer' | 'certificates'>,
  online: RevocationContext | null,
): Promise<Date | null> {
  const certDer = token.signerDer;
  if (!certDer) return null;
  const facts = certificateFacts(certDer);
  const issuerDer = [...token.certificates, ...listTrustAnchors(db).map((a) => a.der)].find(
    (c) => certificateFacts(c).subject === facts.issuer && !bytesEqual(c, certDer),
  );
  if (!issuerDer) return null; // no issuer to check an answer's signature with: nothing known
  if (online)
    await revocationFor(online, certDer, issuerDer).catch((err: unknown) => {
      if (!(err instanceof CoreError)) throw err; // REVOCATION_UNAVAILABLE / CERT_REVOKED: what was fetched is cached
    });
  const [cert, issuer] = [certificateOf(certDer), certificateOf(issuerDer)];
  const sha256 = createHash('sha256').update(certDer).digest('hex');
  let earliest: Date | null = null;
  for (const r of knownRevocationData(db, sha256, revocationSources(certDer).crl)) {
    // Each answer is judged as of when it was fetched: a revocation stays a revocation after nextUpdate passes.
    const status = await (
      r.kind === 'ocsp'
        ? checkOcspResponse(r.der, cert, issuer, new Date(r.fetchedAt))
        : checkCrl(r.der, certDer, issuerDer, new Date(r.fetchedAt))
    ).catch(() => null);
    if (status?.status !== 'revoked') continue;
    const at = status.revokedAt ?? new Date(0); // a revocation without a time: conservatively, since always
    if (!earliest || at < earliest) earliest = at;
  }
  return earliest;
}
