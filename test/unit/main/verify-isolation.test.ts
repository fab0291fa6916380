// The desktop's verify services parse no untrusted file on the main thread: issue 14's crafted inputs go through
// verify:files while history and settings calls are answered; a file over the worker's heap ends as RESOURCE_LIMIT
// for itself alone; inspect:token and verify:files with a .p7s run in the worker too.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, type Services } from '../../../main/services/index.js';
import type { VerifyItem } from '../../../preload/api.js';
import { cliRunner } from '../../helpers/cli.js';
import {
  bigArrayPdf,
  crossSignedCms,
  hostilePdfs,
  hugeFailInfoTsr,
  type HostilePdf,
} from '../../helpers/hostile-inputs.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { createTestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('verify-isolation');
const home = join(work.path, 'home');
let services: Services;
let pdfs: HostilePdf[];
let genuine: string;
let big: string;

beforeAll(async () => {
  const pki = await createTestPki(join(work.path, 'pki'));
  const dir = join(work.path, 'in');
  mkdirSync(dir);
  pdfs = hostilePdfs(dir);
  big = bigArrayPdf(dir);
  genuine = join(dir, 'genuine-sealed.pdf');
  const sealed = await cliRunner({ SEALDESK_HOME: home })(
    'seal',
    writeMinimalPdf(join(work.path, 'doc.pdf')),
    '--key',
    pki.signer.keyPath,
    '--chain',
    pki.signer.chainPath,
    '--level',
    'B-B',
    '--tsa',
    'none',
    '--out',
    genuine,
  );
  expect(sealed.code, sealed.stderr).toBe(0);
  // A heap small enough for the 6 MB array file to exceed, ample for a real seal.
  services = createServices({ dataDir: home, version: 'test', verifyLimits: { maxHeapMb: 24 } });
  await services['trust:add']({ path: pki.root.certPath });
}, 120_000);
afterAll(() => work.remove());

it('verify:files takes every crafted PDF while history:list and tsa:list are answered; each file gets its result', async () => {
  let finished = false;
  const verifying = Promise.resolve(
    services['verify:files']({ paths: [...pdfs.map((p) => p.path), genuine, big] }),
  ).then((items) => {
    finished = true;
    return items;
  });
  // A turn of the event loop first: on the main thread, the array file's synchronous parse (last) would hold it.
  await new Promise((r) => setTimeout(r, 100));
  const history = await services['history:list']({});
  expect(finished).toBe(false); // answered while the hostile files are being verified
  expect(history.total).toBeGreaterThanOrEqual(1); // the seal made above
  const tsas = await services['tsa:list']({});
  expect(finished).toBe(false);
  expect(tsas.length).toBeGreaterThan(0);

  const items = await verifying;
  const byFile = new Map(items.map((i) => [i.file, i]));
  expect(items).toHaveLength(pdfs.length + 2);
  expect(byFile.get(genuine)).toMatchObject({ kind: 'pdf', report: { indication: 'TOTAL-PASSED' } });
  expect(byFile.get(big)).toMatchObject({
    error: { code: 'RESOURCE_LIMIT', message: expect.stringContaining('more than 24 MB of memory') },
  });
  for (const p of pdfs) {
    const item = byFile.get(p.path)!;
    const code = item.error?.code ?? (item.report as { subIndication: string }).subIndication;
    expect(['FORMAT_FAILURE', 'RESOURCE_LIMIT'], `${p.row}: ${JSON.stringify(item).slice(0, 300)}`).toContain(code);
  }
  expect(items.some((i: VerifyItem) => i.error?.code === 'INTERNAL')).toBe(false);
}, 300_000);

it('a .p7s under a cross-signed pair of CAs and a .tsr with a 1 MiB failInfo: results, not a frozen app', async () => {
  const dir = join(work.path, 'cms');
  mkdirSync(dir);
  const { file, p7s } = await crossSignedCms(dir);
  const [item] = await services['verify:files']({ paths: [file, p7s] });
  expect(item!.kind ?? item!.error?.code).toMatch(/^(p7s|RESOURCE_LIMIT)$/);
  if (item!.kind) expect(item!.report).toMatchObject({ intact: true, valid: false });
  const tsr = hugeFailInfoTsr(dir);
  await expect(Promise.resolve(services['inspect:token']({ path: tsr }))).rejects.toMatchObject({
    code: expect.stringMatching(/^(TOKEN_MALFORMED|RESOURCE_LIMIT)$/),
  });
  const copy = join(dir, 'copy.pdf');
  copyFileSync(genuine, copy);
  const extracted = await services['verify:extractRevision']({ path: copy, revision: 1, out: join(dir, 'rev1.pdf') });
  expect(extracted.path).toBe(join(dir, 'rev1.pdf'));
}, 300_000);
