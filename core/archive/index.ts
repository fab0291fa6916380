// Public surface of core/archive: timestamp chains and restamping (RFC 3161 §4).
export * from './chain.js';
export * from './chain-judge.js';
export * from './chain-revocation.js';
export * from './restamp.js';
export * from './bulk.js';
export * from './rate.js';
export * from './import.js';
export * from './import-sealed.js';
export * from './pdf-chain.js';
export * from './pdf-chain-export.js';
export * from './due-counts.js';
export * from './restamp-p7s.js';
export * from './p7s-chain.js';
export * from './p7s-chain-export.js';
export * from './restamp-seal.js';
export * from './bulk-seals.js';
export * from './seal-protection.js';
