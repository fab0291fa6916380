// Public surface of core/validation.
export * from './chain.js';
export * from './trust.js';
export * from './cades-report.js';
