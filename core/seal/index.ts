// Public surface of core/seal: sealing use cases (CAdES for any file; PAdES comes with core/pades).
export * from './seal-file.js';
export * from './timestamp.js';
export * from './complete-pending.js';
