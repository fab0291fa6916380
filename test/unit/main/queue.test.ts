// The desktop's queue: work recorded offline completes when a TSA answers, and the state says whether it got through.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices } from '../../../main/services/index.js';
import { cliRunner, isolateTsas } from '../../helpers/cli.js';
import { closedPortUrl } from '../../helpers/net.js';
import { createTestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('queue');
let tsa: LoopbackTsa;
let sealdesk: ReturnType<typeof cliRunner>;

beforeAll(async () => {
  tsa = await startTsa({ pki: await createTestPki(join(work.path, 'pki')) });
  sealdesk = cliRunner({ SEALDESK_HOME: work.path });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'down', await closedPortUrl())).code).toBe(0);
});
afterAll(async () => {
  await tsa.close();
  work.remove();
});

it('offline: stays queued and says offline; once a TSA answers: stamped, online, nothing pending', async () => {
  const services = createServices({ dataDir: work.path, version: 'test', tsaTimeoutMs: 1000 });
  const doc = join(work.path, 'a.txt');
  writeFileSync(doc, 'offline work');
  const [item] = await services['stamp:files']({ paths: [doc] });
  expect(item).toMatchObject({ queued: true });
  expect(await services['queue:state']({})).toMatchObject({ pending: 1, online: null });
  expect(await services['queue:run']({})).toMatchObject({ pending: 1, online: false, running: false });
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url)).code).toBe(0);
  expect(await services['queue:run']({})).toMatchObject({ pending: 0, online: true });
  expect((await sealdesk('lookup', doc, '--json')).json()).toMatchObject({ found: true, count: 1 });
  expect(existsSync(`${doc}.tsr`)).toBe(true);
});
