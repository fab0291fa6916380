// Two real processes open the same version-1 ledger at once (a CLI and the app): exactly one migrates it, the other
// finds it current, both end on the latest version — the version is read again under the write lock.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../core/ledger/migrations/index.js';
import { writeV1Ledger } from '../helpers/old-ledger.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('migrate-race');
// Inside node_modules so the bundle finds better-sqlite3 the way the CLI does.
const bundleDir = resolve('node_modules/.cache/sealdesk-migrate-race');
const child = join(bundleDir, 'migrate-child.mjs');

beforeAll(async () => {
  mkdirSync(bundleDir, { recursive: true });
  await build({
    entryPoints: ['test/helpers/migrate-child.ts'],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
});
afterAll(() => {
  tmp.remove();
  rmSync(bundleDir, { recursive: true, force: true });
});

type ChildReport = { applied: number[]; version: number };

function start(path: string): { opening: Promise<void>; done: Promise<ChildReport> } {
  const p = spawn(process.execPath, [child, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let opened: () => void;
  const opening = new Promise<void>((r) => (opened = r));
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('opening\n')) opened();
  });
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<ChildReport>((res, rej) =>
    p.on('close', (code) => {
      if (code !== 0) return rej(new Error(`child exited ${code}: ${err}`));
      res(JSON.parse(out.split('\n')[1]!) as ChildReport);
    }),
  );
  return { opening, done };
}

describe('two processes open a version-1 ledger at once', () => {
  it('exactly one migrates (every version once), the other finds it current, both end on the latest', async () => {
    for (let round = 0; round < 3; round++) {
      const path = join(tmp.path, `v1-${round}.sqlite`);
      writeV1Ledger(path);
      // Hold the write lock while both start, so both read version 1 before either may migrate: they then queue on it.
      const holder = new Database(path);
      holder.prepare('BEGIN IMMEDIATE').run();
      const a = start(path);
      const b = start(path);
      await Promise.all([a.opening, b.opening]);
      await sleep(300); // lets both reach the lock; the outcome asserted below does not depend on it
      holder.prepare('ROLLBACK').run();
      holder.close();
      const reports = await Promise.all([a.done, b.done]);
      const all = Array.from({ length: LATEST_VERSION - 1 }, (_, i) => i + 2);
      expect(reports.map((r) => r.version)).toEqual([LATEST_VERSION, LATEST_VERSION]);
      expect(reports.map((r) => r.applied).sort((x, y) => y.length - x.length)).toEqual([all, []]);
      const db = new Database(path, { readonly: true });
      expect(db.prepare('SELECT id FROM stamps').all()).toEqual([{ id: 'old' }]);
      db.close();
    }
  });
});
