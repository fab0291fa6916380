// Object identifiers used across Sealdesk, with the RFC that names each.

export const OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  // RFC 5652
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  // RFC 3161 §2.4.2
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  // RFC 2634 / RFC 5035
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  // RFC 5280
  extKeyUsage: '2.5.29.37',
  kpTimeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

export type HashAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** Digests a signature may name and Sealdesk verifies (never requests): the hashes above, and SHAKE256 with a 512-bit
 * output (RFC 8419, Ed448), which node:crypto computes only with an explicit outputLength (core/hash/digest.ts). */
export type DigestAlgorithm = HashAlgorithm | 'shake256';

/** Algorithms Sealdesk requests imprints with; SHA-1 is only ever read, never requested. */
export const REQUEST_HASHES = ['sha256', 'sha384', 'sha512'] as const;
export type RequestHash = (typeof REQUEST_HASHES)[number];

const HASH_BY_OID = new Map<string, HashAlgorithm>([
  [OID.sha1, 'sha1'],
  [OID.sha256, 'sha256'],
  [OID.sha384, 'sha384'],
  [OID.sha512, 'sha512'],
]);

export function hashOid(alg: HashAlgorithm): string {
  return OID[alg];
}

export function hashFromOid(oid: string): HashAlgorithm | undefined {
  return HASH_BY_OID.get(oid);
}

export function isRequestHash(value: string): value is RequestHash {
  return (REQUEST_HASHES as readonly string[]).includes(value);
}

export const HASH_LENGTH: Readonly<Record<HashAlgorithm, number>> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** RFC 5652 / RFC 5035 / ETSI EN 319 122-1 identifiers for CAdES. */
export const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signingTime: '1.2.840.113549.1.9.5',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  /** ETSI EN 319 122-1 §5.5.2 / RFC 5126 §6.3.3–6.3.4: validation data as unsigned attributes (CAdES-XL, -A). */
  certValues: '1.2.840.113549.1.9.16.2.23',
  revocationValues: '1.2.840.113549.1.9.16.2.24',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  // ETSI EN 319 122-1 §5.5.3 archive-time-stamp-v3, §5.5.2 ats-hash-index-v3 (in the time-stamp token's unsigned attributes)
  archiveTimeStampV3: '0.4.0.1733.2.4',
  atsHashIndexV3: '0.4.0.19122.1.5',
  // read for verification only: ETSI TS 101 733 v2.2.1 ats-hash-index, EN 319 122-1 v1.0.0 ats-hash-index-v2
  atsHashIndexV1: '0.4.0.1733.2.5',
  atsHashIndexV2: '0.4.0.19122.1.4',
  // RFC 5940 §4.1: an OCSP response as a RevocationInfoChoice `other`
  riOcspResponse: '1.3.6.1.5.5.7.16.2',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  // RFC 8410 / RFC 8419: EdDSA in CMS; Ed448 hashes its signed attributes with SHAKE256 (512-bit output)
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  // RFC 8702 §2: id-shake256 (512-bit output), id-shake256-len (output length in bits as its parameter)
  shake256: '2.16.840.1.101.3.4.2.12',
  shake256Len: '2.16.840.1.101.3.4.2.18',
  // RFC 6211 §2: CMSAlgorithmProtection, a signed attribute repeating the SignerInfo's algorithms
  algorithmProtection: '1.2.840.113549.1.9.52',
} as const;
