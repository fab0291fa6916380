// Public surface of core/signers/pkcs11 (the only place that imports pkcs11js).
export * from './module.js';
export * from './tokens.js';
export * from './pkcs11-signer.js';
export * from './generate.js';
