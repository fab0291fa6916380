// Public surface of core/stamp: the timestamping use cases the CLI and the desktop call.
export * from './context.js';
export * from './stamp-file.js';
export * from './stamp-files.js';
export * from './queue.js';
export * from './verify-file.js';
