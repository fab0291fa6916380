// Public surface of core/certificates: provisioning, activation and revocation of sealing certificates.
export * from './csr.js';
export * from './provision.js';
export * from './register.js';
