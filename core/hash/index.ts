// Public surface of core/hash.
export * from './hash-file.js';
