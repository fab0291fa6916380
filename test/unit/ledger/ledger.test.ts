import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../core/ledger/migrations/index.js';
import { writeV1Ledger } from '../../helpers/old-ledger.js';
import {
  LATEST_VERSION,
  addTsa,
  history,
  insertStamp,
  listTsas,
  moveTsa,
  openLedger,
  removeTsa,
  setTsaEnabled,
  stampsForFile,
  takeCursor,
} from '../../../core/ledger/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sealdesk-ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => openLedger(join(dir, `l${n++}.sqlite`));

describe('ledger file', () => {
  it('creates a WAL database at the latest schema with STRICT tables', () => {
    const db = fresh();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'stamps'").get() as { sql: string }).sql;
    expect(sql).toMatch(/STRICT$/);
    db.close();
  });

  it('opens an existing ledger again without re-running migrations', () => {
    const path = join(dir, 'reopen.sqlite');
    const a = openLedger(path);
    addTsa(a, { slug: 'mine', url: 'http://127.0.0.1:9/' });
    a.close();
    const b = openLedger(path);
    expect(listTsas(b).some((t) => t.slug === 'mine')).toBe(true);
    b.close();
  });

  it('refuses a ledger written by a newer Sealdesk (DB_FROM_FUTURE) and leaves it untouched', () => {
    const path = join(dir, 'future.sqlite');
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    expect(() => openLedger(path)).toThrow(expect.objectContaining({ code: 'DB_FROM_FUTURE' }));
    const again = new Database(path);
    expect(again.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
    again.close();
  });
});

describe('TSA list', () => {
  it("ships the seed's providers, SK ID disabled until given a URL", () => {
    const db = fresh();
    const tsas = listTsas(db);
    expect(tsas.map((t) => t.slug)).toEqual([
      'digicert',
      'sectigo',
      'globalsign',
      'swisssign',
      'rfc3161.ai.moda',
      'skid-ecc',
      'skid-rsa',
    ]);
    expect(tsas.find((t) => t.slug === 'digicert')).toMatchObject({
      url: 'http://timestamp.digicert.com',
      preferredHash: 'sha256',
      enabled: true,
    });
    expect(tsas.find((t) => t.slug === 'sectigo')).toMatchObject({ preferredHash: 'sha512' });
    expect(tsas.find((t) => t.slug === 'skid-ecc')).toMatchObject({ url: null, enabled: false, qualified: true });
    expect(() => setTsaEnabled(db, 'skid-ecc', true)).toThrow(expect.objectContaining({ code: 'TSA_NO_URL' }));
    expect(setTsaEnabled(db, 'skid-ecc', true, 'https://tsa.example.test/ecc')).toMatchObject({
      enabled: true,
      url: 'https://tsa.example.test/ecc',
    });
    db.close();
  });

  it('adds, reorders, disables and removes, keeping positions dense', () => {
    const db = fresh();
    addTsa(db, { slug: 'local-a', url: 'http://127.0.0.1:1/', preferredHash: 'sha256' });
    expect(() => addTsa(db, { slug: 'local-a', url: 'http://127.0.0.1:1/' })).toThrow(
      expect.objectContaining({ code: 'TSA_EXISTS' }),
    );
    expect(() => addTsa(db, { slug: 'Bad Slug', url: 'http://x/' })).toThrow(/not a valid slug/);
    expect(() => addTsa(db, { slug: 'ftp', url: 'ftp://x/' })).toThrow(/http or https/);
    const moved = moveTsa(db, 'local-a', 1);
    expect(moved[0]!.slug).toBe('local-a');
    expect(moved.map((t) => t.position)).toEqual(moved.map((_, i) => i + 1));
    setTsaEnabled(db, 'digicert', false);
    removeTsa(db, 'sectigo');
    const after = listTsas(db);
    expect(after.find((t) => t.slug === 'digicert')!.enabled).toBe(false);
    expect(after.some((t) => t.slug === 'sectigo')).toBe(false);
    expect(after.map((t) => t.position)).toEqual(after.map((_, i) => i + 1));
    expect(() => moveTsa(db, 'local-a', 99)).toThrow(/position must be between/);
    db.close();
  });

  it('advances the round-robin cursor once per take, persisted in the file', () => {
    const path = join(dir, 'cursor.sqlite');
    const db = openLedger(path);
    expect([takeCursor(db), takeCursor(db), takeCursor(db)]).toEqual([0, 1, 2]);
    db.close();
    const again = openLedger(path);
    expect(takeCursor(again)).toBe(3);
    again.close();
  });
});

describe('stamp records', () => {
  const sha = (c: string) => c.repeat(128);
  it('finds records by file hash and pages history with search on label or hash prefix', () => {
    const db = fresh();
    for (let i = 0; i < 7; i++) {
      insertStamp(db, {
        id: `00000000-0000-4000-8000-00000000000${i}`,
        fileSha512: sha(i % 2 ? 'a' : 'b'),
        imprintAlgorithm: 'sha512',
        imprint: new Uint8Array(64).fill(i),
        label: i === 3 ? 'Contract 100%_final' : `doc ${i}`,
        filePath: `/f/${i}`,
        tsrPath: null,
        requestedTsa: 'auto',
        createdAt: `2026-01-0${i + 1}T00:00:00.000Z`,
      });
    }
    expect(stampsForFile(db, sha('a')).map((r) => r.id.slice(-1))).toEqual(['5', '3', '1']);
    const page1 = history(db, { page: 1, pageSize: 3 });
    expect(page1.total).toBe(7);
    expect(page1.items.map((r) => r.id.slice(-1))).toEqual(['6', '5', '4']);
    expect(history(db, { page: 3, pageSize: 3 }).items).toHaveLength(1);
    expect(history(db, { search: '100%_', page: 1, pageSize: 50 }).items.map((r) => r.label)).toEqual([
      'Contract 100%_final',
    ]);
    expect(history(db, { search: 'bbbb', page: 1, pageSize: 50 }).total).toBe(4);
    expect(history(db, { search: '%', page: 1, pageSize: 50 }).total).toBe(1);
    db.close();
  });

  it('rejects a stamped record without its token (the schema guards it)', () => {
    const db = fresh();
    expect(() =>
      db
        .prepare(
          "INSERT INTO stamps (id, file_sha512, imprint_alg, imprint, requested_tsa, status, created_at) VALUES ('x', ?, 'sha512', x'00', 'auto', 'stamped', 'now')",
        )
        .run(sha('c')),
    ).toThrow(/CHECK constraint/);
    db.close();
  });
});

describe('migrations', () => {
  it('upgrades a version-1 ledger to the latest in place, keeping its records', () => {
    const path = join(dir, 'v1.sqlite');
    writeV1Ledger(path);
    const db = openLedger(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(stampsForFile(db, 'd'.repeat(128)).map((r) => r.id)).toEqual(['old']);
    expect(
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('certificates', 'operations')").get(),
    ).toEqual({ n: 2 });
    db.close();
  });

  it('numbers migrations 1, 2, … with no gap', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
