// One Signer for every key store (local file, default seal, PKCS#11, KMS): a chain and a sign operation.
import type { RequestHash } from '../asn1/oids.js';

export type KeyAlgorithm = 'rsa' | 'ec-p256' | 'ec-p384';
export type SignatureScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa';
export type SignatureAlgorithm = { readonly scheme: SignatureScheme; readonly hash: RequestHash };

export interface Signer {
  /** DER certificates, the signer's own first. */
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
  /** The scheme and hash this key signs with unless told otherwise. */
  readonly defaultAlgorithm: SignatureAlgorithm;
  /**
   * Signs `data` (implementations that only sign digests hash it first with `alg.hash`).
   * Returns the signature as CMS carries it: PKCS#1/PSS bytes, or a DER ECDSA-Sig-Value.
   */
  sign(data: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array>;
  /** Releases sessions and handles; safe to call twice. */
  close(): Promise<void>;
}

/** The natural algorithm for a key: ECDSA with the curve's hash, RSA PKCS#1 v1.5 with SHA-256. */
export function defaultAlgorithmFor(key: KeyAlgorithm): SignatureAlgorithm {
  switch (key) {
    case 'ec-p256':
      return { scheme: 'ecdsa', hash: 'sha256' };
    case 'ec-p384':
      return { scheme: 'ecdsa', hash: 'sha384' };
    case 'rsa':
      return { scheme: 'rsa-pkcs1', hash: 'sha256' };
  }
}
