// Ledger at scale: the bulk-restamp selection over 1,000,000 stamps (goal < 100 ms), with chains and a few
// thousand records expiring in the window.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expiringLinks, openLedger } from '../core/ledger/index.js';

const N = Number(process.env.BENCH_LEDGER_RECORDS ?? 1_000_000);
const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'ledger-'));
try {
  const db = openLedger(join(work, 'ledger.sqlite'));
  const insert =
    db.prepare(`INSERT INTO stamps (id, file_sha512, imprint_alg, imprint, requested_tsa, status, tsa_slug, tsa_name,
      gen_time, serial, tsa_cert_not_after, tsr, parent_id, created_at)
    VALUES (?, ?, 'sha512', ?, 'auto', 'stamped', 'x', 'X', '2026-01-01T00:00:00Z', '01', ?, ?, ?, '2026-01-01T00:00:00Z')`);
  const t0 = performance.now();
  const imprint = Buffer.alloc(64);
  const tsr = Buffer.alloc(16);
  db.transaction(() => {
    for (let i = 0; i < N; i++) {
      // One in 500 expires next year; every tenth record restamps the one before it (so it is not a newest link).
      const notAfter = i % 500 === 0 ? '2027-06-01T00:00:00Z' : `20${30 + (i % 10)}-01-01T00:00:00Z`;
      insert.run(`r${i}`, String(i).padStart(128, '0'), imprint, notAfter, tsr, i % 10 === 9 ? `r${i - 1}` : null);
    }
  })();
  console.log(`${N} records written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const runs: number[] = [];
  let found = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    found = expiringLinks(db, { before: new Date('2028-01-01T00:00:00Z') }).length;
    runs.push(performance.now() - t);
  }
  console.log(`expiring selection: ${found} chains in ${Math.min(...runs).toFixed(1)} ms (best of 5; goal < 100 ms)`);
  db.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
