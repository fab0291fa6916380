// Public surface of core/cms: CAdES SignedData build and the SignerInfo checks; knows nothing of PDF.
export * from './algorithms.js';
export * from './cades-build.js';
export * from './ess.js';
export * from './parse.js';
export * from './signer-info.js';
