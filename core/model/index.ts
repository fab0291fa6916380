// Public surface of core/model: the plain data every layer (core, CLI, main, renderer) shares.
export * from './stamp.js';
export type * from './indication.js';
export type * from './facts.js';
export type * from './pdf-report.js';
export type * from './cades-report.js';
export type * from './token-report.js';
export type * from './qualification.js';
