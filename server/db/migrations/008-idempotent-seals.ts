// Schema v8: a seal operation remembers the Idempotency-Key of the request that made it, and what the answer added to
// the upload (PAdES: the appended revision; CAdES: the whole .p7s). A node killed after the operation's commit but
// before the response was stored leaves only a pending key; the retry that takes it over (server/idempotency.ts)
// answers from the operation: the same bytes, no second signature, no second time-stamp, no second row.
export const idempotentSeals = `
ALTER TABLE seal_operations ADD COLUMN idempotency_key text;
ALTER TABLE seal_operations ADD COLUMN answer_tail bytea;
CREATE UNIQUE INDEX seal_operations_by_idempotency_key ON seal_operations (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
`;
