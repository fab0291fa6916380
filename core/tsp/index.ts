// Public surface of core/tsp: RFC 3161 requests, response checks, transport, registry, dispatcher.
export * from './request.js';
export * from './decode.js';
export * from './check.js';
export * from './transport.js';
export * from './registry.js';
export * from './dispatcher.js';
export * from './token-report.js';
