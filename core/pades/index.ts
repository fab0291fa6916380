// Public surface of core/pades: PAdES baseline seals of PDFs (composes core/pdf and core/cms).
export * from './levels.js';
export * from './seal-pdf.js';
export * from './visible.js';
export { completePadesOperation, type PadesProgress } from './complete-pending.js';
export * from './restamp-pdf.js';
