// Validation data for the certificates of a seal and its time-stamps (the B-LT step of ETSI EN 319 142-1 / 319 122-1),
// and the one policy when some cannot be had: as EU DSS does by default, no restamp over it unless the user allows it.
import { certificateFacts } from '../asn1/certificate.js';
import { CoreError, errorMessage } from '../errors.js';
import { revocationFor, type RevocationContext } from './collect.js';
import { revocationSources } from './sources.js';

export type GatheredRevocation = {
  readonly ocsps: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  /** One sentence per certificate whose status could not be had: the certificate and what was tried. */
  readonly missing: readonly string[];
};

/**
 * OCSP or CRL data for every certificate that names a source (self-signed anchors need none). `issuerOf` finds each
 * issuer; `where` says where it was looked for ("in the file"). A revoked certificate throws CERT_REVOKED.
 * Only answers fetched from now on are used (a cached one fetched before this call is asked again): the data goes
 * next to time-stamps already made, and a verifier counts only answers issued at or after the time-stamp (issue 13).
 * One call is one run for the network limits (network.ts).
 */
export async function gatherRevocationData(
  context: RevocationContext,
  certs: readonly Uint8Array[],
  issuerOf: (der: Uint8Array) => Uint8Array | null,
  where: string,
): Promise<GatheredRevocation> {
  const ctx: RevocationContext = { ...context, run: context.run ?? {} };
  const fetchOptions = { issuedAfter: ctx.now() };
  const ocsps: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  const missing: string[] = [];
  for (const der of certs) {
    const facts = certificateFacts(der);
    if (facts.selfSigned) continue;
    const issuer = issuerOf(der);
    try {
      if (!issuer)
        throw new CoreError(
          'REVOCATION_UNAVAILABLE',
          `the issuer of "${facts.subject}" is not ${where}, so its revocation data cannot be checked`,
        );
      const data = await revocationFor(ctx, der, issuer, fetchOptions);
      if (data) (data.kind === 'ocsp' ? ocsps : crls).push(data.der);
    } catch (err) {
      if (err instanceof CoreError && err.code === 'CERT_REVOKED') throw err;
      if (issuer || hasSources(der)) missing.push(errorMessage(err));
    }
  }
  return { ocsps, crls, missing };
}

export type MissingValidationDataOptions = {
  /** Restamp all the same and report what is missing (`--allow-missing-validation-data`). Default: refuse. */
  readonly allowMissingValidationData?: boolean;
  /** Let the certificates' revocation URLs reach loopback, link-local and private addresses (`--allow-private-network`). */
  readonly allowPrivateNetwork?: boolean;
};

/** Refuses (REVOCATION_UNAVAILABLE, nothing written) when validation data is missing, unless the user allowed it. */
export function requireValidationData(path: string, missing: readonly string[], o: MissingValidationDataOptions): void {
  if (missing.length === 0 || o.allowMissingValidationData) return;
  throw new CoreError(
    'REVOCATION_UNAVAILABLE',
    `${path}: revocation data missing — ${missing.join('; ')}; nothing restamped (try again when the responder answers, or restamp without it: --allow-missing-validation-data)`,
  );
}

function hasSources(der: Uint8Array): boolean {
  const s = revocationSources(der);
  return s.ocsp.length + s.crl.length > 0;
}
