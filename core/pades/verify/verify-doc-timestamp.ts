// ETSI EN 319 142-1 §5.4.3 document time-stamp: its imprint must be the digest of exactly its byte ranges.
import type { HashAlgorithm } from '../../asn1/oids.js';
import type { VerifyContext } from './context.js';
import { decide, type Finding } from './indication.js';
import { checkToken } from './timestamp-check.js';
import type { SignatureReport } from './types.js';

export async function verifyDocTimestamp(
  ctx: VerifyContext,
  base: SignatureReport,
  token: Uint8Array,
  digest: (alg: string) => Promise<Uint8Array>,
  findings: Finding[],
): Promise<SignatureReport> {
  const t = await checkToken(ctx, token, (alg: HashAlgorithm) => digest(alg), 'the bytes its /ByteRange names');
  if (!t.readable) findings.push({ sub: 'FORMAT_FAILURE', reason: t.problems[0]! });
  else if (!t.imprintOk)
    findings.push({
      sub: 'HASH_FAILURE',
      reason:
        'the document time-stamp is for other data: its imprint is not the digest of the bytes it claims to cover (a copied time-stamp?)',
    });
  else if (!t.signatureOk)
    findings.push({
      sub: 'SIG_CRYPTO_FAILURE',
      reason: `the document time-stamp's signature does not verify: ${t.problems.join('; ')}`,
    });
  else if (!t.valid)
    findings.push({
      sub: 'SIG_CONSTRAINTS_FAILURE',
      reason: `the document time-stamp is not valid: ${t.problems.join('; ')}`,
    });
  if (t.tsa && t.tsa.trust !== 'chained')
    findings.push({
      sub: 'NO_CERTIFICATE_CHAIN_FOUND',
      reason: `the time-stamp authority's certificate does not chain to a trust anchor (${t.tsa.trustMessage})`,
    });
  const intact = t.imprintOk && t.signatureOk && base.byteRange !== null;
  const poe = t.genDate
    ? { time: t.genDate.toISOString(), source: 'document-timestamp' as const }
    : base.proofOfExistence;
  return decide(
    {
      ...base,
      signer: t.tsa,
      qualification: t.qualification ?? null,
      timestamp: t,
      proofOfExistence: poe,
      algorithms: { digest: null, signature: null, weak: [] },
    },
    findings,
    intact,
  );
}
