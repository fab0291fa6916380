// Plain facts about an X.509 certificate (RFC 5280), read with @peculiar/x509 from its exact DER.
import { x509 } from './x509.js';
import { OID } from './oids.js';
import { CoreError, InputError } from '../errors.js';
import { exactBuffer, integerHex } from './bytes.js';
import { MAX_CERTIFICATE_BYTES } from './cert-der.js';

export type CertificateFacts = {
  readonly subject: string;
  readonly issuer: string;
  readonly serialHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly selfSigned: boolean;
  /** Extended key usage purposes, and whether the extension is critical (null: absent). */
  readonly extKeyUsage: { readonly purposes: readonly string[]; readonly critical: boolean } | null;
  readonly der: Uint8Array;
};

/** The same TSA or signer certificate comes back with every token: parse each distinct DER once. */
const factsCache = new Map<string, CertificateFacts>();
const FACTS_CACHE_MAX = 256;

export function certificateFacts(der: Uint8Array): CertificateFacts {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const cached = factsCache.get(key);
  if (cached) return cached;
  let facts: CertificateFacts;
  try {
    facts = parseFacts(der);
  } catch (err) {
    if (err instanceof CoreError) throw err;
    throw new InputError('CERT_MALFORMED', `a certificate cannot be read: ${(err as Error).message}`, { cause: err });
  }
  if (factsCache.size >= FACTS_CACHE_MAX) factsCache.delete(factsCache.keys().next().value!);
  factsCache.set(key, facts);
  return facts;
}

/** The key usage bits (RFC 5280 §4.2.1.3) by name, in bit order. */
const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** The certificate's key usage bits by name (RFC 5280 order), or null when it has no KeyUsage extension. */
export function keyUsageNames(der: Uint8Array): string[] | null {
  const ku = parsedCertificate(der).getExtension(x509.KeyUsagesExtension);
  return ku ? KEY_USAGE_BITS.filter((_, i) => (ku.usages & (1 << i)) !== 0) : null;
}

/** The same certificates come back in every token and signature: each distinct DER is parsed once (bounded cache). */
const parsedCache = new Map<string, x509.X509Certificate>();

/** @peculiar/x509's view of a certificate, cached by DER. Throws on bytes that are not a certificate; RESOURCE_LIMIT
 * (before any parse) past MAX_CERTIFICATE_BYTES. */
export function parsedCertificate(der: Uint8Array): x509.X509Certificate {
  if (der.length > MAX_CERTIFICATE_BYTES) {
    throw new InputError(
      'RESOURCE_LIMIT',
      `a certificate of ${der.length} bytes is not read (at most ${MAX_CERTIFICATE_BYTES})`,
    );
  }
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let cert = parsedCache.get(key);
  if (!cert) {
    cert = new x509.X509Certificate(exactBuffer(der));
    if (parsedCache.size >= FACTS_CACHE_MAX) parsedCache.delete(parsedCache.keys().next().value!);
    parsedCache.set(key, cert);
  }
  return cert;
}

function parseFacts(der: Uint8Array): CertificateFacts {
  const cert = parsedCertificate(der);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialHex: integerHex(new Uint8Array(Buffer.from(cert.serialNumber, 'hex'))),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    selfSigned: cert.subject === cert.issuer,
    extKeyUsage: eku ? { purposes: eku.usages.map(String), critical: eku.critical } : null,
    der: new Uint8Array(der), // a private copy: cached facts must not change if the caller's buffer does
  };
}

/** RFC 3161 §2.3: exactly one EKU extension, critical, whose only purpose is id-kp-timeStamping. */
export function timeStampingEkuProblem(facts: CertificateFacts): string | null {
  const eku = facts.extKeyUsage;
  if (!eku)
    return 'the TSA certificate has no extended key usage extension (RFC 3161 requires a critical timeStamping EKU)';
  if (!eku.purposes.includes(OID.kpTimeStamping))
    return 'the TSA certificate is not authorised for time stamping (no timeStamping EKU)';
  if (!eku.critical)
    return "the TSA certificate's timeStamping extended key usage is not marked critical (RFC 3161 §2.3)";
  if (eku.purposes.length !== 1)
    return "the TSA certificate's extended key usage lists purposes besides timeStamping (RFC 3161 §2.3)";
  return null;
}

export function parsePemCertificates(pem: string): Uint8Array[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new Uint8Array(Buffer.from(b.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
}
