// The desktop's verify options (the CLI's `verify --at / --trust / --trust-dev / limits`, `inspect --tsa-cert`,
// `history --page-size`) through main's dispatch and the real services: anchors come as file handles main issued, a
// raw path is refused, out-of-bounds values are BAD_REQUEST; real seals made by the CLI, a real ledger.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/dispatch.js';
import { createMainSide, type MainSide } from '../../../main/main-side.js';
import { createServices, type Services } from '../../../main/services/index.js';
import type { Channel, VerifyItem } from '../../../preload/api.js';
import type { SaveOptions } from '../../../main/dialogs.js';
import { cliRunner } from '../../helpers/cli.js';
import { openssl } from '../../helpers/openssl.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('verify-options');
const home = join(work.path, 'home');
const ours = 'file:///opt/Sealdesk/renderer/dist/index.html';
let services: Services;
let side: MainSide;
let pki: TestPki;
/** Sealed by the test root's signer, whose certificate is valid from 2024 to 2040. */
let sealed: string;
const saves: (string | null)[] = [];
const saveAsked: SaveOptions[] = [];

const call = (channel: Channel, request: unknown) =>
  dispatch(channel, ours, request, services, (u) => u === ours, side);
const handle = (path: string) => side.files.issue(path).handle;
const only = (r: Awaited<ReturnType<typeof call>>): VerifyItem => {
  expect(r, JSON.stringify(r).slice(0, 400)).toMatchObject({ ok: true });
  return (r as { value: VerifyItem[] }).value[0]!;
};

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  const dir = join(work.path, 'in');
  mkdirSync(dir);
  const cli = cliRunner({ SEALDESK_HOME: home });
  const seal = async (signer: { keyPath: string; chainPath: string }, out: string) => {
    const doc = writeMinimalPdf(join(dir, `doc-${out}`));
    const r = await cli(
      'seal',
      doc,
      '--key',
      signer.keyPath,
      '--chain',
      signer.chainPath,
      '--level',
      'B-B',
      '--tsa',
      'none',
      '--out',
      join(dir, out),
    );
    expect(r.code, r.stderr).toBe(0);
    return join(dir, out);
  };
  sealed = await seal(pki.signer, 'sealed.pdf');
  await seal(pki.signerEc, 'sealed-ec.pdf');
  services = createServices({ dataDir: home, version: 'test' });
  // Main's save dialog, answered by the test (null: cancelled).
  side = createMainSide({
    dataDir: home,
    hooks: { saveFile: async (o) => (saveAsked.push(o), saves.shift() ?? null) },
  });
}, 180_000);
afterAll(() => work.remove());

describe('verify options over IPC', () => {
  it('an extra trust anchor handle turns NO_CERTIFICATE_CHAIN_FOUND into TOTAL-PASSED; trust-dev: dev_ca', async () => {
    const bare = only(await call('verify:files', { files: [handle(sealed)] }));
    expect(bare).toMatchObject({
      kind: 'pdf',
      report: { indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' },
    });
    const trusted = only(await call('verify:files', { files: [handle(sealed)], trust: [handle(pki.root.certPath)] }));
    expect(trusted).toMatchObject({ kind: 'pdf', report: { indication: 'TOTAL-PASSED' } });
    const dev = only(await call('verify:files', { files: [handle(sealed)], trustDev: [handle(pki.root.certPath)] }));
    expect(JSON.stringify(dev.report)).toContain('"dev_ca"');
    // The job channel takes the same options.
    const job = await call('jobs:verify', { files: [handle(sealed)], trust: [handle(pki.root.certPath)] });
    expect(job).toMatchObject({ ok: true });
  }, 120_000);

  it('`at` after the signer certificate expired (2040) changes the verdict: no valid chain then', async () => {
    const trust = [handle(pki.root.certPath)];
    const now = only(await call('verify:files', { files: [handle(sealed)], trust }));
    expect(now).toMatchObject({ kind: 'pdf', report: { indication: 'TOTAL-PASSED' } });
    const later = only(await call('verify:files', { files: [handle(sealed)], trust, at: '2041-06-01T12:00:00Z' }));
    expect(later).toMatchObject({
      kind: 'pdf',
      report: { indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' },
    });
  }, 120_000);

  it('a raw path where a handle belongs is CAPABILITY_UNKNOWN, and nothing is verified', async () => {
    for (const field of ['trust', 'trustDev', 'tsaCertificates'])
      expect(await call('verify:files', { files: [handle(sealed)], [field]: [pki.root.certPath] })).toMatchObject({
        ok: false,
        error: { code: 'CAPABILITY_UNKNOWN' },
      });
    const tsr = join(work.path, 'none.tsr');
    expect(await call('inspect:token', { file: handle(sealed), tsaCertificates: [tsr] })).toMatchObject({
      ok: false,
      error: { code: 'CAPABILITY_UNKNOWN' },
    });
  });

  it('limits, times and page sizes out of bounds are BAD_REQUEST', async () => {
    const files = [handle(sealed)];
    const bad: Array<[Channel, Record<string, unknown>]> = [
      ['verify:files', { files, maxHeapMb: 0 }],
      ['verify:files', { files, maxHeapMb: 64 * 1024 + 1 }],
      ['verify:files', { files, timeoutS: 1.5 }],
      ['jobs:verify', { files, maxDecodedMb: -1 }],
      ['verify:files', { files, maxObjects: 1_000_000_001 }],
      ['verify:files', { files, at: 'yesterday' }],
      ['verify:files', { files, at: '2026-13-45T00:00:00Z' }],
      ['verify:files', { files, online: 'yes' }],
      ['history:list', { pageSize: 0 }],
      ['history:list', { pageSize: 201 }],
    ];
    for (const [channel, request] of bad)
      expect(await call(channel, request), JSON.stringify(request)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
  });

  it('limits within bounds reach the PDF reader and the worker: too few objects, too small a heap', async () => {
    const objects = only(await call('verify:files', { files: [handle(sealed)], maxObjects: 1 }));
    expect(objects).toMatchObject({ error: { code: 'RESOURCE_LIMIT' } });
    const heap = only(await call('verify:files', { files: [handle(sealed)], maxHeapMb: 1 }));
    expect(heap).toMatchObject({
      error: { code: 'RESOURCE_LIMIT', message: expect.stringContaining('Options → Limits (memory per file)') },
    });
  }, 120_000);

  it('history:list pages by the size asked (the two seals above, one a page)', async () => {
    const first = await call('history:list', { pageSize: 1 });
    expect(first).toMatchObject({ ok: true, value: { total: 2, items: [expect.anything()] } });
    const second = await call('history:list', { pageSize: 1, page: 2 });
    expect(second).toMatchObject({ ok: true, value: { total: 2, items: [expect.anything()] } });
  });

  it("a .p7m's content goes where the save dialog says (verify --extract); cancelled: nothing verified", async () => {
    const dir = join(work.path, 'p7m');
    mkdirSync(dir);
    const content = join(dir, 'minutes.txt');
    writeFileSync(content, 'Minutes of the board, signed inside a .p7m\n');
    const p7m = join(dir, 'minutes.txt.p7m');
    const signer = ['-signer', pki.signer.certPath, '-inkey', pki.signer.keyPath];
    const made = await openssl([
      'cms',
      '-sign',
      '-binary',
      '-nodetach',
      '-in',
      content,
      ...signer,
      '-outform',
      'DER',
      '-out',
      p7m,
    ]);
    expect(made.code, made.stderr).toBe(0);
    const out = join(dir, 'extracted.txt');
    saves.push(out);
    const trust = [handle(pki.root.certPath)];
    const item = only(await call('verify:files', { files: [handle(p7m)], trust, extractAs: '' }));
    expect(item).toMatchObject({ kind: 'p7m', report: { intact: true } });
    expect(saveAsked.at(-1)?.defaultPath).toBe(join(dir, 'minutes.txt')); // the .p7m's name without .p7m
    expect(readFileSync(out, 'utf8')).toBe('Minutes of the board, signed inside a .p7m\n');
    saves.push(null);
    const job = await call('jobs:verify', { files: [handle(p7m)], trust, extractAs: 'content.txt' });
    expect(job).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(saveAsked.at(-1)?.defaultPath).toBe(join(dir, 'content.txt'));
  }, 120_000);
});
