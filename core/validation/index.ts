// Public surface of core/validation.
export * from './chain.js';
