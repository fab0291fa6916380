// The main-process IPC path in Node: sender check, validation, results, errors as data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/dispatch.js';
import { createMainSide } from '../../../main/main-side.js';
import { createServices } from '../../../main/services/index.js';
import { insertStamp, openLedger } from '../../../core/ledger/index.js';
import { LedgerError } from '../../../core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'sealdesk-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ours = 'file:///opt/Sealdesk/renderer/dist/index.html';
const isOurs = (url: string) => url === ours;
const services = createServices({ dataDir: dir, version: '9.9.9' });
const side = createMainSide();

describe('dispatch', () => {
  it('answers our renderer with {ok, value} from the real services and ledger', async () => {
    expect(await dispatch('app:info', ours, {}, services, isOurs, side)).toEqual({
      ok: true,
      value: { name: 'Sealdesk', version: '9.9.9', dataDir: dir, platform: process.platform },
    });
    const db = openLedger(join(dir, 'ledger.sqlite'));
    insertStamp(db, {
      id: 'p1',
      fileSha512: 'a'.repeat(128),
      imprintAlgorithm: 'sha512',
      imprint: new Uint8Array(64),
      label: null,
      filePath: null,
      tsrPath: null,
      requestedTsa: 'auto',
      createdAt: '2026-01-01T00:00:00Z',
    });
    db.close();
    expect(await dispatch('ledger:summary', ours, {}, services, isOurs, side)).toEqual({
      ok: true,
      value: { stamped: 0, pending: 1 },
    });
  });

  it('refuses other senders and malformed requests, as data', async () => {
    expect(await dispatch('app:info', 'https://evil.example/', {}, services, isOurs, side)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await dispatch('app:info', undefined, {}, services, isOurs, side)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await dispatch('app:info', ours, { extra: 1 }, services, isOurs, side)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('turns a thrown core error into {ok:false, error:{code, message}}', async () => {
    const failing = {
      ...services,
      'ledger:summary': () => {
        throw new LedgerError('DB_FROM_FUTURE', 'too new');
      },
    };
    expect(await dispatch('ledger:summary', ours, {}, failing, isOurs, side)).toEqual({
      ok: false,
      error: { code: 'DB_FROM_FUTURE', message: 'too new' },
    });
  });
});
