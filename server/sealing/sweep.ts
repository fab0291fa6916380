// The key-deletion sweep: revoked certificates whose 7-day grace has passed get their token key destroyed (KMS keys
// were scheduled with KMS's own waiting period at revocation). A swept row keeps status 'revoked' with
// key_deletion_at cleared: revoked and no deletion pending means the key is gone. Safe on several nodes.
import type { ServerContext } from '../context.js';
import type { CertificateRow } from './certificates.js';
import { destroySealKey } from './keystore.js';

/** Destroys the keys that are due (the key first, then the row: a failed destroy is retried by the next sweep). */
export async function sweepRevokedKeys(ctx: ServerContext): Promise<string[]> {
  const store = ctx.sealing?.store;
  if (!store) return [];
  const due = await ctx.db.query<CertificateRow>(
    `SELECT * FROM seal_certificates WHERE status = 'revoked' AND key_deletion_at <= $1`,
    [ctx.now()],
  );
  for (const row of due) {
    await destroySealKey(store, row); // destroying an already destroyed key finds nothing: safe on several nodes
    await ctx.db.query('UPDATE seal_certificates SET key_deletion_at = NULL WHERE id = $1', [row.id]);
  }
  return due.map((r) => r.id);
}

/** Sweeps now and then every `everyMs` (default hourly); the timer does not keep the process alive. */
export function startKeySweep(ctx: ServerContext, log: (err: unknown) => void, everyMs = 3_600_000): () => void {
  const tick = () => void sweepRevokedKeys(ctx).catch(log);
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}
