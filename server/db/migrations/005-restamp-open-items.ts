// Schema v5: the drainers' claim (server/restamp/lease.ts) finds open bulk restamp items through a partial index,
// so finished items of past jobs are never scanned.
export const restampOpenItems = `
CREATE INDEX restamp_items_open ON restamp_items (job_id, locked_until) WHERE state IN ('queued', 'running');
`;
