// Public surface of core/asn1.
export * from './oids.js';
export * from './bytes.js';
export * from './names.js';
export * from './certificate.js';
export * from './engine.js';
export * from './x509.js';
