// Public surface of core/signers/kms (the only place that imports the AWS SDK).
export * from './kms-signer.js';
