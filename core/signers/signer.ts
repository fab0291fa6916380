// One Signer for every key store (local file, default seal, PKCS#11, KMS): the contract (in core/model) and defaults.
import type { KeyAlgorithm, SignatureAlgorithm } from '../model/signer.js';

export type { KeyAlgorithm, SignatureAlgorithm, SignatureScheme, Signer } from '../model/signer.js';

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
