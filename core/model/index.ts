// Public surface of core/model.
export * from './stamp.js';
