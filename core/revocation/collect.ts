// Revocation data for one certificate, as a seal's B-LT level needs it: OCSP from the AIA first, else the CRL from a
// distribution point; cached in the ledger until its nextUpdate; a revoked certificate stops the seal.
import { createHash } from 'node:crypto';
import { certificateFacts } from '../asn1/certificate.js';
import { CoreError, errorMessage } from '../errors.js';
import { cacheRevocation, cachedRevocation } from '../ledger/revocation-cache.js';
import type { Ledger } from '../ledger/open.js';
import { checkCrl } from './crl.js';
import { httpFetch, type HttpFetch } from './http.js';
import { certificateOf, checkOcspResponse, ocspRequest, type RevocationStatus } from './ocsp.js';
import { revocationSources } from './sources.js';

export type RevocationData = { readonly kind: 'ocsp' | 'crl'; readonly url: string; readonly der: Uint8Array };

export type RevocationContext = { readonly db: Ledger; readonly now: () => Date; readonly timeoutMs?: number; readonly fetch?: HttpFetch };

/** Usable revocation data, or null when the certificate names no revocation source. Throws when it names one and
 * none answers usably (REVOCATION_UNAVAILABLE), or when the certificate is revoked (CERT_REVOKED). */
export async function revocationFor(ctx: RevocationContext, certDer: Uint8Array, issuerDer: Uint8Array): Promise<RevocationData | null> {
  const sources = revocationSources(certDer);
  if (sources.ocsp.length + sources.crl.length === 0) return null;
  const cert = certificateOf(certDer);
  const issuer = certificateOf(issuerDer);
  const certKey = createHash('sha256').update(certDer).digest('hex');
  const problems: string[] = [];
  const attempts = [...sources.ocsp.map((url) => ({ kind: 'ocsp' as const, url })), ...sources.crl.map((url) => ({ kind: 'crl' as const, url }))];
  for (const { kind, url } of attempts) {
    try {
      const now = ctx.now();
      const cacheKey = kind === 'ocsp' ? certKey : '';
      const cached = cachedRevocation(ctx.db, kind, url, cacheKey, now);
      const der = cached ?? (await download(ctx, kind, url, kind === 'ocsp' ? await ocspRequest(cert, issuer) : undefined));
      const status: RevocationStatus = kind === 'ocsp' ? await checkOcspResponse(der, cert, issuer, now) : await checkCrl(der, certDer, issuerDer, now);
      if (!cached) cacheRevocation(ctx.db, { kind, url, certSha256: cacheKey, der, fetchedAt: now.toISOString(), nextUpdate: status.nextUpdate?.toISOString() ?? null });
      if (status.status === 'revoked') {
        throw new CoreError('CERT_REVOKED', `the certificate "${certificateFacts(certDer).subject}" is revoked${status.revokedAt ? ` since ${status.revokedAt.toISOString()}` : ''} (${kind.toUpperCase()} ${url})`);
      }
      if (status.status === 'good') return { kind, url, der };
      problems.push(`${url}: the responder does not know this certificate`);
    } catch (err) {
      if (err instanceof CoreError && err.code === 'CERT_REVOKED') throw err;
      problems.push(`${url}: ${errorMessage(err)}`);
    }
  }
  throw new CoreError('REVOCATION_UNAVAILABLE', `no revocation data for "${certificateFacts(certDer).subject}": ${problems.join('; ')}`);
}

function download(ctx: RevocationContext, kind: 'ocsp' | 'crl', url: string, body?: Uint8Array): Promise<Uint8Array> {
  const fetch = ctx.fetch ?? httpFetch;
  const timeoutMs = ctx.timeoutMs ?? 10_000;
  return kind === 'ocsp'
    ? fetch(url, { method: 'POST', body, contentType: 'application/ocsp-request', timeoutMs, maxBytes: 1024 * 1024 })
    : fetch(url, { method: 'GET', timeoutMs, maxBytes: 32 * 1024 * 1024 });
}
