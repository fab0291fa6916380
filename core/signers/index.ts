// Public surface of core/signers.
export * from './signer.js';
export * from './key-signer.js';
export * from './default-seal.js';
export * from './pkcs12.js';
export * from './record-signer.js';
