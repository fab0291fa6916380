// Revocation status of a certificate at a time, from the validation data a document carries (DSS, the CMS's own
// revocation values) — offline — and from the network only when asked (`--online`).
import * as asn1js from 'asn1js';
import { certificateFacts } from '../asn1/certificate.js';
import { CoreError, errorMessage } from '../errors.js';
import type { ParsedSignedData } from '../cms/parse.js';
import { checkCrl } from '../revocation/crl.js';
import { revocationFor, type RevocationContext } from '../revocation/collect.js';
import { certificateOf, checkOcspResponse, type RevocationStatus } from '../revocation/ocsp.js';
import { revocationSources } from '../revocation/sources.js';

export type RevocationItem = { readonly kind: 'ocsp' | 'crl'; readonly der: Uint8Array; readonly from: 'dss' | 'cms' };

export type RevocationFinding = {
  readonly subject: string;
  /** no-source: the certificate names none (does not block); missing: it names one but no usable data is at hand. */
  readonly status: 'good' | 'revoked' | 'no-source' | 'missing';
  readonly source: 'dss' | 'cms' | 'online' | null;
  readonly detail: string;
  readonly revokedAt: string | null;
};

export async function checkRevocation(certDer: Uint8Array, issuerDer: Uint8Array | null, pool: readonly RevocationItem[], at: Date, online: RevocationContext | null): Promise<RevocationFinding> {
  const subject = certificateFacts(certDer).subject;
  const finding = (status: RevocationFinding['status'], source: RevocationFinding['source'], detail: string, revokedAt: Date | null = null): RevocationFinding => ({ subject, status, source, detail, revokedAt: revokedAt?.toISOString() ?? null });
  const sources = revocationSources(certDer);
  if (sources.ocsp.length + sources.crl.length === 0) return finding('no-source', null, 'the certificate names no revocation source');
  if (!issuerDer) return finding('missing', null, "the issuer's certificate is not available, so no revocation data can be checked");
  const cert = certificateOf(certDer);
  const issuer = certificateOf(issuerDer);
  for (const item of pool) {
    let s: RevocationStatus;
    try {
      s = item.kind === 'ocsp' ? await checkOcspResponse(item.der, cert, issuer, at) : await checkCrl(item.der, certDer, issuerDer, at);
    } catch {
      continue; // data for another certificate or another time
    }
    if (s.status === 'unknown') continue;
    const where = item.from === 'dss' ? 'the DSS' : 'the signature';
    return s.status === 'revoked' ? finding('revoked', item.from, `revoked according to ${item.kind.toUpperCase()} data in ${where}`, s.revokedAt ?? null) : finding('good', item.from, `not revoked (${item.kind.toUpperCase()} in ${where})`);
  }
  if (online) {
    try {
      const got = await revocationFor(online, certDer, issuerDer);
      if (got) return finding('good', 'online', `not revoked (${got.kind.toUpperCase()} from ${got.url})`);
    } catch (err) {
      if (err instanceof CoreError && err.code === 'CERT_REVOKED') return finding('revoked', 'online', err.message);
      return finding('missing', null, errorMessage(err));
    }
  }
  return finding('missing', null, `the certificate names ${[...sources.ocsp, ...sources.crl].join(', ')} but the document carries no usable revocation data for it${online ? '' : ' (try --online)'}`);
}

/** CMS revocation values: SignedData.crls (CRLs and id-ri-ocsp-response) and Adobe's revocationInfoArchival attribute. */
export function cmsRevocationValues(parsed: ParsedSignedData): RevocationItem[] {
  const out: RevocationItem[] = [];
  for (const v of parsed.revocationValues) out.push({ ...v, from: 'cms' });
  const attr = parsed.signedData.signerInfos[0]?.signedAttrs?.attributes.find((a) => a.type === '1.2.840.113583.1.1.8');
  const archival = attr?.values[0] as asn1js.Sequence | undefined;
  for (const tagged of archival?.valueBlock?.value ?? []) {
    const kind = tagged.idBlock.tagNumber === 0 ? 'crl' : tagged.idBlock.tagNumber === 1 ? 'ocsp' : null;
    const list = (tagged as asn1js.Constructed).valueBlock.value?.[0] as asn1js.Sequence | undefined;
    if (!kind || !list) continue;
    for (const v of list.valueBlock.value ?? []) out.push({ kind, der: new Uint8Array(v.valueBeforeDecodeView), from: 'cms' });
  }
  return out;
}
