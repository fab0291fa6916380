// inspectTimeStamp reads a token without changing it: checking the signature once re-tagged the signed attributes
// (a0 → 31) inside the caller's buffer, so the server's import and the ledger's import stored altered tokens.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stampInputs } from '../../../core/app/stamp-files.js';
import { addTsa, listTsas, openLedger, setTsaEnabled, type Ledger } from '../../../core/ledger/index.js';
import { HttpTimeStampTransport } from '../../../core/tsp/index.js';
import { inspectTimeStamp } from '../../../core/tsp/token-report.js';
import { createTestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('inspect-keeps-input');
let tsa: LoopbackTsa;
let db: Ledger;

beforeAll(async () => {
  tsa = await startTsa({ pki: await createTestPki(join(work.path, 'pki')) });
  db = openLedger(':memory:');
  for (const t of listTsas(db)) setTsaEnabled(db, t.slug, false);
  addTsa(db, { slug: 'loop', url: tsa.url, name: 'Loop TSA' });
}, 60_000);
afterAll(async () => {
  db.close();
  await tsa.close();
  work.remove();
});

it('leaves the bytes it inspects exactly as they were', async () => {
  const file = join(work.path, 'doc.txt');
  writeFileSync(file, 'content');
  const ctx = { db, transport: new HttpTimeStampTransport(), now: () => new Date() };
  const [r] = await stampInputs(ctx, [file], { tsa: 'loop' });
  if (!r?.ok || r.outcome.kind === 'queued') throw new Error('not stamped');
  const tsr = Buffer.from(r.outcome.record.tsr!);
  const before = createHash('sha256').update(tsr).digest('hex');
  const report = await inspectTimeStamp(tsr);
  expect(report.problems).toEqual([]);
  expect(report.signatureValid).toBe(true);
  expect(createHash('sha256').update(tsr).digest('hex')).toBe(before);
});
