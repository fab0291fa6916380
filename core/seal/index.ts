// Public surface of core/seal: sealing use cases (CAdES for any file; PAdES comes with core/pades).
export * from './seal-file.js';
export * from '../stamp/seal-timestamp.js'; // moved to core/stamp (used by core/pades too); kept here for importers
export * from './complete-pending.js';
