// The key-store contract every signer meets (file, default seal, PKCS#11, KMS) and its algorithm names: here, below
// core/cms (which signs through it) and core/signers (which implements it), so neither folder imports the other.
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
