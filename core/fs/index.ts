// Public surface of core/fs.
export * from './atomic.js';
export * from './sniff.js';
export * from './staged.js';
