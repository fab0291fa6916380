// `sealdesk-server` / `npm run server -- --port <n> --data <dir> [--tsas <tsas.json>]`: the remote API of seed 001 on
// PostgreSQL (DATABASE_URL) or, when no URL is given, the embedded PGlite in `<data>/pglite`.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { defaultHome } from '../core/home.js';
import { HttpTimeStampTransport } from '../core/tsp/transport.js';
import { buildServer } from './app.js';
import { builtinTsas, parseStartOptions, readTsaFile } from './config.js';
import { DEFAULT_LIMITS, DEFAULT_PLANS } from './context.js';
import { openDatabase } from './db/open.js';
import { startDrainer } from './restamp/drainer.js';
import { sealingFromEnv } from './sealing/config.js';
import { startKeySweep } from './sealing/sweep.js';

export async function startServer(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  const o = parseStartOptions(argv, env, defaultHome());
  const started = Date.now();
  const db = await openDatabase({ url: o.databaseUrl, dataDir: o.dataDir });
  const ctx = {
    db,
    tsas: o.tsasFile ? readTsaFile(o.tsasFile) : builtinTsas(),
    transport: new HttpTimeStampTransport(),
    now: () => new Date(),
    nodeId: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    // SEALDESK_TSA_TIMEOUT_MS: each TSA attempt's limit (default 10 s; a test's loopback TSAs under load need more).
    limits: { ...DEFAULT_LIMITS, tsaTimeoutMs: Number(env.SEALDESK_TSA_TIMEOUT_MS) || DEFAULT_LIMITS.tsaTimeoutMs },
    plans: DEFAULT_PLANS,
    sealing: sealingFromEnv(env), // seal key store and platform certificate: server/sealing/config.ts
  };
  const app = await buildServer(ctx, { logger: { level: env.LOG_LEVEL ?? 'info' } });
  await app.listen({ port: o.port, host: o.host });
  const stopSweep = startKeySweep(ctx, (err) => app.log.error({ err }, 'key sweep failed'));
  const drainer = startDrainer(ctx, { log: (event, detail) => app.log.info(detail, event) });
  app.log.info(
    { database: db.kind, dataDir: db.kind === 'pglite' ? o.dataDir : undefined, startupMs: Date.now() - started },
    'sealdesk-server ready',
  );
  return async () => {
    stopSweep();
    await drainer.stop();
    await app.close();
    await db.close();
  };
}
