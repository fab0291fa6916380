// A real PostgreSQL for the server tests. CI (.ci/run) starts one throw-away cluster and exports
// SEALDESK_TEST_PG_URL (a superuser URL); elsewhere this starts a cluster of Debian's postgresql in a temp folder, as the
// `postgres` user when run as root (root may not run the server), on a free loopback port, stopped and removed after.
// Each caller gets its own fresh database, dropped at the end.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { closedPortUrl } from './net.js';
import { tempDir } from './tmp.js';

export type TestPostgres = { readonly url: string; stop(): Promise<void> };

/** Debian's server binaries (initdb, pg_ctl), or null when postgresql is not installed. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

export async function startPostgres(): Promise<TestPostgres> {
  const given = process.env.SEALDESK_TEST_PG_URL;
  const cluster = given ? null : await startCluster();
  const admin = given ?? cluster!.url;
  const name = `sealdesk_${randomBytes(6).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const url = withDatabase(admin, name);
  return {
    url,
    async stop() {
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await cluster?.stop();
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const withDatabase = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

async function startCluster(): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (or set SEALDESK_TEST_PG_URL)');
  const dir = tempDir('pg');
  const data = join(dir.path, 'data');
  const port = Number(new URL(await closedPortUrl()).port);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir.path, uid, gid);
    chmodSync(dir.path, 0o700);
  }
  const run = (tool: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : join(bin, tool),
      asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args,
      { stdio: 'pipe' },
    );
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const opts = `-p ${port} -k ${dir.path} -c listen_addresses=127.0.0.1 -c fsync=off`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir.path, 'log'), '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        dir.remove();
      }
    },
  };
}
