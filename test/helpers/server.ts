// sealdesk-server for tests: the real Fastify app on 127.0.0.1, on the embedded PGlite (in memory) or on a real
// PostgreSQL database of its own (test/helpers/postgres.ts), with the TSAs the test gives (loopback OpenSSL TSAs).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HttpTimeStampTransport } from '../../core/tsp/transport.js';
import type { TsaProvider } from '../../core/tsp/registry.js';
import { buildServer } from '../../server/app.js';
import { DEFAULT_LIMITS, DEFAULT_PLANS, type ServerContext } from '../../server/context.js';
import { openDatabase } from '../../server/db/open.js';
import type { Database } from '../../server/db/sql.js';

export type DatabaseKind = 'pglite' | 'postgres';
export type TestServer = {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
  close(): Promise<void>;
};

/** Loopback TSAs as the server's provider list (all enabled, in this order). */
export function tsaProviders(tsas: readonly { slug: string; url: string; name?: string }[]): TsaProvider[] {
  return tsas.map((t, i) => ({
    id: t.slug,
    slug: t.slug,
    name: t.name ?? t.slug,
    url: t.url,
    preferredHash: 'sha256',
    qualified: false,
    enabled: true,
    position: i + 1,
    builtin: false,
  }));
}

/** A server on `db` (opened by the caller: several servers may share one PostgreSQL database). */
export async function startTestServer(
  db: Database,
  o: { tsas?: readonly TsaProvider[]; ctx?: Partial<ServerContext> } = {},
): Promise<TestServer> {
  const ctx: ServerContext = {
    db,
    tsas: o.tsas ?? [],
    transport: new HttpTimeStampTransport(),
    now: () => new Date(),
    nodeId: `test:${process.pid}:${randomBytes(4).toString('hex')}`,
    limits: { ...DEFAULT_LIMITS, tsaTimeoutMs: 5_000 },
    plans: DEFAULT_PLANS,
    ...o.ctx,
  };
  const app = await buildServer(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, app, ctx, close: () => app.close() };
}

/** The database for a test file: PGlite in memory, or a fresh database on PostgreSQL at `url`. */
export function openTestDatabase(kind: DatabaseKind, url?: string): Promise<Database> {
  return openDatabase(kind === 'postgres' ? { url } : { dataDir: null });
}
