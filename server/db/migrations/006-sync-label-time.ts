// Schema v6: when a record's label last changed (PUT /api/transactions/{id}/label), so a sync client can resolve a
// label edited on two machines by the server's time, and pull only what changed since its cursor (our extension
// 'sync-since', see server/routes/health.ts).
export const syncLabelTime = `
ALTER TABLE transactions ADD COLUMN label_updated_at timestamptz;
CREATE INDEX transactions_tenant_label_updated ON transactions (tenant_id, label_updated_at)
  WHERE label_updated_at IS NOT NULL;
`;
