// ETSI EN 319 102-1 §5.1.3 validation outcomes, shared by every verifier (PAdES, CAdES, time-stamp tokens).
export type Indication = 'TOTAL-PASSED' | 'TOTAL-FAILED' | 'INDETERMINATE';

export type SubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'TRY_LATER'
  | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'NO_SIGNATURE_FOUND';
