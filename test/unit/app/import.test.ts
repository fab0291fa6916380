// core/app/import.ts against a real SQLite ledger: a .tsr made by OpenSSL against a loopback TSA joins the ledger
// once; in a folder, tokens are imported and an unsigned PDF is skipped as a document; named, it is an error; an
// unreadable input is reported in its place and the batch goes on.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importFiles } from '../../../core/app/import.js';
import { openLedger, stampsForFile, type Ledger } from '../../../core/ledger/index.js';
import { createServices } from '../../../main/services/index.js';
import { openssl } from '../../helpers/openssl.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { createTestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('app-import');
let tsa: LoopbackTsa;
let db: Ledger;

beforeAll(async () => {
  tsa = await startTsa({ pki: await createTestPki(join(work.path, 'pki')) });
  db = openLedger(join(work.path, 'ledger.sqlite'));
}, 60_000);
afterAll(async () => {
  db.close();
  await tsa.close();
  work.remove();
});

/** A document and its .tsr beside it, made without Sealdesk: `openssl ts -query`, the TSA's reply as received. */
async function tokenMadeElsewhere(path: string): Promise<string> {
  writeFileSync(path, `made elsewhere ${Math.random()}`);
  const q = await openssl(['ts', '-query', '-data', path, '-sha256', '-cert', '-out', `${path}.tsq`]);
  expect(q.code, q.stderr).toBe(0);
  const reply = await fetch(tsa.url, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query' },
    body: readFileSync(`${path}.tsq`),
  });
  writeFileSync(`${path}.tsr`, new Uint8Array(await reply.arrayBuffer()));
  return `${path}.tsr`;
}

it("imports a folder's tokens once, skips its unsigned PDFs, and reports each input in order", async () => {
  const dir = join(work.path, 'archive');
  mkdirSync(dir);
  const tsr = await tokenMadeElsewhere(join(dir, 'contract.txt'));
  writeMinimalPdf(join(dir, 'memo.pdf'));
  const missing = join(work.path, 'missing.tsr');
  const seen: number[] = [];
  const items = await importFiles(db, [dir, missing], { onItem: (_, done) => seen.push(done) });
  expect(items.map((i) => [i.path, i.kind])).toEqual([
    [tsr, 'stamp'],
    [join(dir, 'memo.pdf'), 'skipped'],
    [missing, 'error'],
  ]);
  expect(seen).toEqual([1, 2, 3]);
  const [stamp, , err] = items;
  expect(stamp!.kind === 'stamp' && stamp!.stamp).toMatchObject({
    tsrPath: tsr,
    already: false,
    record: { imprintAlgorithm: 'sha256' },
  });
  expect(err!.kind === 'error' && err!.error).toMatchObject({ code: 'INPUT_UNREADABLE' });
  const id = stamp!.kind === 'stamp' ? stamp!.stamp.record.id : '';
  expect(stampsForFile(db, stamp!.kind === 'stamp' ? stamp!.stamp.record.fileSha512 : '').map((r) => r.id)).toEqual([
    id,
  ]);
  const again = await importFiles(db, [tsr]);
  expect(again[0]!.kind === 'stamp' && again[0]!.stamp).toMatchObject({ already: true, record: { id } }); // once
});

it('a named PDF without a signature is an error (not skipped); a file of another kind is refused', async () => {
  const pdf = writeMinimalPdf(join(work.path, 'plain.pdf'));
  const [r] = await importFiles(db, [pdf]);
  expect(r!.kind === 'error' && r!.error).toMatchObject({ code: 'NO_SIGNATURE_FOUND' });
  const txt = join(work.path, 'notes.txt');
  writeFileSync(txt, 'x');
  const [t] = await importFiles(db, [txt]);
  expect(t!.kind === 'error' && t!.error).toMatchObject({ code: 'USAGE' });
});

it("the desktop's import:files is the same use case: each input as imported, already known, skipped or refused", async () => {
  const services = createServices({ dataDir: work.path, version: 'test' });
  try {
    const tsr = await tokenMadeElsewhere(join(work.path, 'desk.txt'));
    const pdf = writeMinimalPdf(join(work.path, 'desk-plain.pdf'));
    const [first, refused] = await services['import:files']({ paths: [tsr, pdf] });
    expect(first).toMatchObject({ path: tsr, kind: 'stamp', already: false, id: expect.any(String) });
    expect(refused).toMatchObject({ path: pdf, kind: 'error', error: { code: 'NO_SIGNATURE_FOUND' } });
    const [again] = await services['import:files']({ paths: [tsr] });
    expect(again).toMatchObject({ kind: 'stamp', already: true, id: first!.id });
    expect((await importFiles(db, [tsr]))[0]).toMatchObject({
      kind: 'stamp',
      stamp: { already: true, record: { id: first!.id } },
    });
  } finally {
    services.close();
  }
});
