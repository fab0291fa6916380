// RFC 5280 §5: a CRL must be signed by the certificate's issuer and current before Sealdesk relies on it. Read by a
// TLV walk over its exact bytes and verified with node:crypto: a CA's CRL can hold hundreds of thousands of entries,
// and building an asn1js/pkijs object per entry took seconds for every certificate checked against it.
import { bytesEqual } from '../asn1/bytes.js';
import { certificateParts } from '../asn1/cert-der.js';
import { sameName } from '../asn1/names.js';
import {
  TlvError,
  childrenOf,
  content,
  generalizedTime,
  readTlv,
  rootOf,
  slice,
  utcTime,
  type Tlv,
} from '../asn1/tlv.js';
import { DIGESTS, algorithmOf } from '../cms/signature-algorithms.js';
import { signatureValueValid } from '../cms/signature-value.js';
import { CoreError } from '../errors.js';
import { CLOCK_SKEW_MS, type RevocationStatus } from './ocsp.js';

/** The certificate's status in the CRL, after checking its issuer signed it; with `now`, also that it is not stale then. */
export async function checkCrl(
  der: Uint8Array,
  certDer: Uint8Array,
  issuerDer: Uint8Array,
  now: Date | null,
): Promise<RevocationStatus> {
  const bad = (why: string) => new CoreError('REVOCATION_UNAVAILABLE', `unusable CRL: ${why}`);
  let crl: CrlLayout;
  try {
    crl = crlLayout(der);
  } catch (err) {
    if (err instanceof TlvError) throw bad(err.message);
    throw err;
  }
  const issuer = certificateParts(issuerDer);
  if (
    !sameName(crl.issuer, issuer.subject) ||
    !signatureValueValid({
      certificate: issuerDer,
      signatureAlgorithm: crl.signatureAlgorithm,
      digest: DIGESTS[crl.signatureAlgorithm.algorithmId] ?? 'unknown',
      data: crl.tbs,
      signature: crl.signature,
    })
  ) {
    throw bad("it is not signed by the certificate's issuer");
  }
  if (now && crl.thisUpdate > new Date(now.getTime() + CLOCK_SKEW_MS)) throw bad('its thisUpdate is in the future');
  if (now && crl.nextUpdate && crl.nextUpdate < now) throw bad('it is stale (nextUpdate has passed)');
  const revokedAt = crl.revocationOf(certificateParts(certDer).serial);
  const times = { thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate };
  return revokedAt ? { status: 'revoked', ...times, revokedAt } : { status: 'good', ...times };
}

type CrlLayout = {
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: ReturnType<typeof algorithmOf>;
  readonly signature: Uint8Array;
  readonly issuer: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  /** The revocation date of the entry for this serial (INTEGER octets), or null when the CRL does not list it. */
  revocationOf(serial: Uint8Array): Date | null;
};

/** CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING } (RFC 5280 §5.1). */
function crlLayout(der: Uint8Array): CrlLayout {
  const [tbs, sigAlg, sig] = childrenOf(der, rootOf(der));
  if (tbs?.tag !== 0x30 || sigAlg?.tag !== 0x30 || sig?.tag !== 0x03) throw new TlvError('not a CertificateList');
  // TBSCertList ::= SEQUENCE { version OPTIONAL, signature, issuer, thisUpdate, nextUpdate OPTIONAL, revokedCertificates OPTIONAL, [0] crlExtensions OPTIONAL }
  const f = childrenOf(der, tbs);
  const rest = f[0]?.tag === 0x02 ? f.slice(1) : f;
  const [, issuer, thisUpdate, maybeNext] = rest;
  if (issuer?.tag !== 0x30 || !thisUpdate) throw new TlvError('the CRL lacks its issuer or thisUpdate');
  const thisTime = time(der, thisUpdate);
  const nextUpdate = maybeNext && (maybeNext.tag === 0x17 || maybeNext.tag === 0x18) ? time(der, maybeNext) : null;
  const entries = rest.slice(nextUpdate ? 4 : 3).find((t) => t.tag === 0x30);
  return {
    tbs: slice(der, tbs),
    signatureAlgorithm: algorithmOf(der, sigAlg),
    signature: content(der, sig).subarray(1),
    issuer: slice(der, issuer),
    thisUpdate: thisTime,
    nextUpdate,
    revocationOf: (serial) => (entries ? findEntry(der, entries, serial) : null),
  };
}

/** revokedCertificates ::= SEQUENCE OF SEQUENCE { userCertificate INTEGER, revocationDate Time, crlEntryExtensions OPTIONAL } */
function findEntry(der: Uint8Array, entries: Tlv, serial: Uint8Array): Date | null {
  for (let pos = entries.contentStart; pos < entries.contentEnd;) {
    const entry = readTlv(der, pos, entries.contentEnd);
    pos = entry.end;
    const user = readTlv(der, entry.contentStart, entry.contentEnd);
    if (user.tag === 0x02 && bytesEqual(content(der, user), serial))
      return time(der, readTlv(der, user.end, entry.contentEnd));
  }
  return null;
}

function time(der: Uint8Array, t: Tlv): Date {
  if (t.tag === 0x17) return utcTime(der, t);
  if (t.tag === 0x18) return generalizedTime(der, t);
  throw new TlvError('expected a Time');
}
