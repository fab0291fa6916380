// Schema v7: a stamp record remembers the Idempotency-Key of the request that made it. A node killed after the
// record's commit but before the response was stored leaves only a pending key; the retry that takes the key over
// (server/idempotency.ts) finds the record by its key and answers from it: no second TSA call, no second record.
export const idempotentRecords = `
ALTER TABLE transactions ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX transactions_by_idempotency_key ON transactions (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
`;
