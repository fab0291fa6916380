// Public surface of core/pdf: reading PDF structure and appending revisions. Knows nothing of CMS.
export * from './objects.js';
export * from './document.js';
export * from './increment.js';
export * from './pages.js';
export * from './certification.js';
export * from './signature-field.js';
export * from './placeholder.js';
export * from './source.js';
export * from './dss.js';
export * from './appearance.js';
export * from './signatures.js';
export * from './changes.js';
export { contentBoxes, contentOverlaps, type Box } from './content-overlap.js';
export { ambiguities, xrefEntriesInside, type Ambiguity } from './ambiguity.js';
