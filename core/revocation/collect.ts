// Revocation data for one certificate, as a seal's B-LT level needs it: OCSP from the AIA first, else the CRL from a
// distribution point; cached in the ledger until its nextUpdate; a revoked certificate stops the seal. The URLs come
// from certificates that may come from a document: network.ts limits how many are used and where they may lead.
import { createHash } from 'node:crypto';
import { certificateFacts } from '../asn1/certificate.js';
import { CoreError, errorMessage } from '../errors.js';
import { cacheRevocation, cachedRevocation } from '../ledger/revocation-cache.js';
import type { Ledger } from '../ledger/open.js';
import { checkCrl } from './crl.js';
import { httpFetch, type HttpFetch } from './http.js';
import { budgetOf, type NetworkBudget, type NetworkLimits } from './network.js';
import { certificateOf, checkOcspResponse, ocspRequest, type RevocationStatus } from './ocsp.js';
import { revocationSources } from './sources.js';

export type RevocationData = { readonly kind: 'ocsp' | 'crl'; readonly url: string; readonly der: Uint8Array };

export type RevocationContext = {
  readonly db: Ledger;
  readonly now: () => Date;
  readonly timeoutMs?: number;
  readonly fetch?: HttpFetch;
  /** Limits on what the certificates' URLs may make us fetch (network.ts); absent: the defaults, private addresses refused. */
  readonly network?: NetworkLimits;
  /** The run the per-run fetch limit counts for (e.g. one verified file); absent: this context object. */
  readonly run?: object;
};

/** An answer fetched (or taken from the ledger cache) for a certificate, with the status it gives at `now`. */
export type FetchedRevocation = RevocationData & { readonly status: RevocationStatus };

export type FetchOptions = {
  /** Cached answers fetched before this are not used: data for a signature must be issued after its proof of existence. */
  readonly issuedAfter?: Date;
};

type Fetched = { got: FetchedRevocation | null; problems: string[] };

/**
 * The first usable answer among the certificate's sources (at most the per-certificate limit of them), or null when
 * it names none. Each source that does not answer usably adds a sentence to `problems`.
 */
export async function fetchRevocation(
  ctx: RevocationContext,
  certDer: Uint8Array,
  issuerDer: Uint8Array,
  o: FetchOptions = {},
): Promise<Fetched | null> {
  const sources = revocationSources(certDer);
  if (sources.ocsp.length + sources.crl.length === 0) return null;
  const cert = certificateOf(certDer);
  const issuer = certificateOf(issuerDer);
  const certKey = createHash('sha256').update(certDer).digest('hex');
  const budget = budgetOf(ctx.run ?? ctx, ctx.network);
  const problems: string[] = [];
  const all = [
    ...sources.ocsp.map((url) => ({ kind: 'ocsp' as const, url })),
    ...sources.crl.map((url) => ({ kind: 'crl' as const, url })),
  ];
  const attempts = all.slice(0, budget.maxUrlsPerCertificate);
  for (const { kind, url } of attempts) {
    try {
      const now = ctx.now();
      const cacheKey = kind === 'ocsp' ? certKey : '';
      const cached = cachedRevocation(ctx.db, kind, url, cacheKey, now, undefined, o.issuedAfter);
      const der =
        cached ??
        (await download(ctx, budget, kind, url, kind === 'ocsp' ? await ocspRequest(cert, issuer) : undefined));
      const status: RevocationStatus =
        kind === 'ocsp'
          ? await checkOcspResponse(der, cert, issuer, now)
          : await checkCrl(der, certDer, issuerDer, now);
      const nextUpdate = status.nextUpdate?.toISOString() ?? null;
      if (!cached)
        cacheRevocation(ctx.db, { kind, url, certSha256: cacheKey, der, fetchedAt: now.toISOString(), nextUpdate });
      if (status.status !== 'unknown') return { got: { kind, url, der, status }, problems };
      problems.push(`${url}: the responder does not know this certificate`);
    } catch (err) {
      problems.push(`${url}: ${errorMessage(err)}`);
    }
  }
  const skipped = all.length - attempts.length;
  if (skipped > 0)
    problems.push(`${skipped} more URL(s) not tried (at most ${budget.maxUrlsPerCertificate} per certificate)`);
  return { got: null, problems };
}

/** Usable revocation data, or null when the certificate names no revocation source. Throws when it names one and
 * none answers usably (REVOCATION_UNAVAILABLE), or when the certificate is revoked (CERT_REVOKED). */
export async function revocationFor(
  ctx: RevocationContext,
  certDer: Uint8Array,
  issuerDer: Uint8Array,
  o: FetchOptions = {},
): Promise<RevocationData | null> {
  const r = await fetchRevocation(ctx, certDer, issuerDer, o);
  if (!r) return null;
  const { got } = r;
  const subject = certificateFacts(certDer).subject;
  if (got?.status.status === 'revoked') {
    const at = got.status.revokedAt ? ` since ${got.status.revokedAt.toISOString()}` : '';
    throw new CoreError(
      'CERT_REVOKED',
      `the certificate "${subject}" is revoked${at} (${got.kind.toUpperCase()} ${got.url})`,
    );
  }
  if (got) return { kind: got.kind, url: got.url, der: got.der };
  throw new CoreError('REVOCATION_UNAVAILABLE', `no revocation data for "${subject}": ${r.problems.join('; ')}`);
}

function download(ctx: RevocationContext, budget: NetworkBudget, kind: 'ocsp' | 'crl', url: string, body?: Uint8Array) {
  budget.take();
  const fetch = ctx.fetch ?? httpFetch;
  const timeoutMs = ctx.timeoutMs ?? 10_000;
  const allowPrivateNetwork = budget.allowPrivateNetwork;
  return kind === 'ocsp'
    ? fetch(url, {
        method: 'POST',
        body,
        contentType: 'application/ocsp-request',
        timeoutMs,
        maxBytes: 1 << 20,
        allowPrivateNetwork,
      })
    : fetch(url, { method: 'GET', timeoutMs, maxBytes: 32 * 1024 * 1024, allowPrivateNetwork });
}
