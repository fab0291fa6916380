// Public surface of PDF verification.
export * from './types.js';
export * from './verify-pdf.js';
export type { VerifyOptions } from './context.js';
export * from './extract.js';
