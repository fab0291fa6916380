// The server's storage: the same migrations on PGlite and on a real PostgreSQL, applied once even when two
// processes start together; the start-up options; the health and capabilities routes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStartOptions, readTsaFile } from '../../server/config.js';
import { migrate } from '../../server/db/migrate.js';
import { MIGRATIONS } from '../../server/db/migrations/index.js';
import { openPostgres } from '../../server/db/postgres.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { openTestDatabase, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

let pgServer: TestPostgres;
beforeAll(async () => {
  pgServer = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pgServer?.stop();
});

describe.each(['pglite', 'postgres'] as const)('schema on %s', (kind) => {
  it('every migration applies, in order, and a second start applies none', async () => {
    const db = await openTestDatabase(kind, pgServer.url);
    try {
      const versions = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
      const tables = await db.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['tenants', 'users', 'transactions', 'idempotency', 'seal_operations', 'restamp_items']),
      );
    } finally {
      if (kind === 'postgres') await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public').catch(() => {});
      await db.close();
    }
  });

  it('a database from a newer server is refused, not migrated', async () => {
    const db = await openTestDatabase(kind, pgServer.url);
    try {
      await db.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')");
      await expect(migrate(db)).rejects.toThrow(/schema version 999; this server knows up to \d+$/);
    } finally {
      await db.query('DROP TABLE IF EXISTS schema_migrations CASCADE').catch(() => {});
      await db.query('DROP SCHEMA public CASCADE').catch(() => {});
      await db.query('CREATE SCHEMA public').catch(() => {});
      await db.close();
    }
  });
});

it('two processes starting on one empty PostgreSQL: the migration runs once (advisory lock), both see the schema', async () => {
  const [a, b] = await Promise.all([openPostgres(pgServer.url, 2), openPostgres(pgServer.url, 2)]);
  try {
    const results = await Promise.all([migrate(a), migrate(b)]);
    expect(results.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(results.some((r) => r.length === 0)).toBe(true);
  } finally {
    await a.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public').catch(() => {});
    await a.close();
    await b.close();
  }
});

it('GET /health answers with the database kind, /api/capabilities names our extensions; an unknown route is 404', async () => {
  const db = await openTestDatabase('pglite');
  const server = await startTestServer(db);
  try {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, database: 'pglite' });
    const caps = await fetch(`${server.url}/api/capabilities`);
    expect(await caps.json()).toEqual({
      server: 'sealdesk-server',
      api: 'sigill-1',
      extensions: expect.arrayContaining([
        'idempotency',
        'transactions-import',
        'seal-operations-import',
        'restamp-bulk',
      ]),
    });
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'not found' });
  } finally {
    await server.close();
    await db.close();
  }
});

describe('start-up options', () => {
  it('flags, then PORT / DATABASE_URL from the environment, then defaults', () => {
    expect(parseStartOptions([], {}, '/home/u/.sealdesk')).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/home/u/.sealdesk/server',
      databaseUrl: null,
      tsasFile: null,
    });
    const o = parseStartOptions(
      ['--port', '9000', '--data', '/srv/s', '--tsas', 't.json'],
      { PORT: '1', DATABASE_URL: 'postgres://x/y' },
      '/h',
    );
    expect(o).toMatchObject({ port: 9000, dataDir: '/srv/s', databaseUrl: 'postgres://x/y', tsasFile: 't.json' });
    expect(parseStartOptions([], { PORT: '8181' }, '/h').port).toBe(8181);
    expect(() => parseStartOptions(['--prot', '1'], {}, '/h')).toThrow(/unknown option --prot/);
    expect(() => parseStartOptions(['--port'], {}, '/h')).toThrow(/--port needs a value/);
  });

  it('tsas.json replaces the built-in list; a bad entry is refused with its reason', () => {
    const dir = tempDir('tsas');
    try {
      const file = join(dir.path, 'tsas.json');
      writeFileSync(
        file,
        JSON.stringify([
          {
            slug: 'inhouse',
            name: 'In-house',
            url: 'http://127.0.0.1:1/tsr',
            preferredHashOid: '2.16.840.1.101.3.4.2.3',
            qualified: false,
          },
        ]),
      );
      expect(readTsaFile(file)).toEqual([
        expect.objectContaining({ slug: 'inhouse', preferredHash: 'sha512', enabled: true, position: 1 }),
      ]);
      writeFileSync(
        file,
        JSON.stringify([
          { slug: 'x', name: 'X', url: 'http://127.0.0.1:1/', preferredHashOid: '1.3.14.3.2.26', qualified: false },
        ]),
      );
      expect(() => readTsaFile(file)).toThrow(/not SHA-256\/384\/512/);
    } finally {
      dir.remove();
    }
  });
});
