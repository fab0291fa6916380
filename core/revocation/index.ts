// Public surface of core/revocation: where a certificate's status is published, fetching and checking it.
export * from './collect.js';
export * from './gather.js';
export * from './sources.js';
export * from './ocsp.js';
export * from './crl.js';
export * from './http.js';
