// Ledger v10: each TSA's last seen certificate — backfilled from older stamps, then kept from the newest accepted token.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../core/ledger/migrations/index.js';
import { getTsa, noteTsaCertificate, openLedger, tsaLastCertificate } from '../../../core/ledger/index.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('tsa-last-cert');
afterAll(() => tmp.remove());

describe('the last seen certificate of each TSA', () => {
  it("a v9 ledger gets each TSA's newest stamp's notAfter on upgrade (no DER: the next token brings it)", () => {
    const path = join(tmp.path, 'v9.sqlite');
    const raw = new Database(path);
    raw.transaction(() => {
      for (const m of MIGRATIONS.filter((m) => m.version <= 9)) m.up(raw);
      raw.pragma('user_version = 9');
    })();
    const add =
      raw.prepare(`INSERT INTO stamps (id, file_sha512, imprint_alg, imprint, requested_tsa, status, tsa_slug, tsa_name, gen_time, tsa_cert_not_after, tsr, created_at)
      VALUES (?, ?, 'sha512', x'00', 'auto', 'stamped', 'sectigo', 'Sectigo', ?, ?, x'30', '2025-01-01T00:00:00Z')`);
    add.run('a', 'a'.repeat(128), '2025-01-01T00:00:00Z', '2030-01-01T00:00:00.000Z');
    add.run('b', 'b'.repeat(128), '2026-01-01T00:00:00Z', '2029-06-01T00:00:00.000Z'); // the newest token: its certificate counts
    raw.close();
    const db = openLedger(path);
    expect(getTsa(db, 'sectigo').lastCertNotAfter).toBe('2029-06-01T00:00:00.000Z');
    expect(getTsa(db, 'digicert').lastCertNotAfter).toBeNull();
    expect(tsaLastCertificate(db, 'sectigo')).toEqual({
      der: null,
      notAfter: '2029-06-01T00:00:00.000Z',
      genTime: '2026-01-01T00:00:00Z',
    });
    db.close();
  });

  it('keeps the certificate of the newest token by genTime, as exact DER; an older token does not replace it', () => {
    const db = openLedger(join(tmp.path, 'fresh.sqlite'));
    const der = (b: number) => Uint8Array.of(0x30, 0x01, b);
    noteTsaCertificate(db, 'digicert', {
      der: der(1),
      notAfter: new Date('2031-01-01Z'),
      genTime: new Date('2026-12-01T10:00:00Z'),
    });
    noteTsaCertificate(db, 'digicert', {
      der: der(2),
      notAfter: new Date('2027-01-01Z'),
      genTime: new Date('2026-12-01T09:00:00Z'),
    });
    expect(tsaLastCertificate(db, 'digicert')).toEqual({
      der: der(1),
      notAfter: '2031-01-01T00:00:00.000Z',
      genTime: '2026-12-01T10:00:00.000Z',
    });
    noteTsaCertificate(db, 'digicert', {
      der: der(3),
      notAfter: new Date('2028-01-01Z'),
      genTime: new Date('2026-12-02T09:00:00Z'),
    });
    expect(getTsa(db, 'digicert').lastCertNotAfter).toBe('2028-01-01T00:00:00.000Z'); // a rotated, shorter certificate is what it uses now
    expect(tsaLastCertificate(db, 'digicert')!.der).toEqual(der(3));
    db.close();
  });
});
