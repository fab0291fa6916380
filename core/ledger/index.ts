// Public surface of core/ledger (the only place that imports better-sqlite3).
export * from './open.js';
export * from './stamps.js';
export * from './tsa.js';
export * from './failures.js';
export { LATEST_VERSION } from './migrations/index.js';
export * from './certificates.js';
export * from './operations.js';
export * from './revocation-cache.js';
export * from './trust-anchors.js';
export * from './restamp-jobs.js';
export * from './portable.js';
export * from './seal-archive.js';
export * from './sync.js';
