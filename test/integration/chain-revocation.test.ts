// A chain link protects the previous one only if made before that TSA certificate was revoked: `chain --online`
// asks the TSA certificate's OCSP responder (`openssl ocsp` on loopback), the ledger keeps the answer, and every later
// check — offline too — and every restamp of that chain use it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { startRevocationServer, type RevocationServer } from '../helpers/ocsp-responder.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('chain-revocation');
let pki: TestPki;
let rev: RevocationServer;
let revokedTsa: LoopbackTsa;
let goodTsa: LoopbackTsa;
let sealdesk: ReturnType<typeof cliRunner>;
const REVOKED_AT = '2025-01-01T00:00:00.000Z';

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  rev = await startRevocationServer(pki);
  revokedTsa = await startTsa({ pki: { ...pki, tsa: rev.revokedTsa } });
  goodTsa = await startTsa({ pki });
  sealdesk = cliRunner({ SEALDESK_HOME: join(work.path, 'home'), SEALDESK_TSA_TIMEOUT_MS: '2000' });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'revoked', revokedTsa.url, '--name', 'Revoked TSA')).code).toBe(0);
  expect((await sealdesk('tsa', 'add', 'good', goodTsa.url, '--name', 'Good TSA')).code).toBe(0);
  expect((await sealdesk('trust', 'add', pki.root.certPath)).code).toBe(0);
});
afterAll(async () => {
  await revokedTsa.close();
  await goodTsa.close();
  await rev.close();
  work.remove();
});

const stampWithRevokedTsa = async (name: string) => {
  const doc = join(work.path, name);
  writeFileSync(doc, `${name}: a record to keep\n`);
  const s = await sealdesk('stamp', doc, '--tsa', 'revoked', '--json');
  expect(s.code, s.stderr).toBe(0);
  return s.json().id as string;
};

it('offline the revocation is unknown; --online finds it: both links flagged, the chain broken, and the answer kept for offline checks', async () => {
  const first = await stampWithRevokedTsa('minutes.txt');
  const second = await sealdesk('restamp', first, '--tsa', 'good', '--json');
  expect(second.code, second.stderr).toBe(0);

  const offline = await sealdesk('chain', first, '--json');
  expect(offline.code).toBe(0);
  expect(offline.json()).toMatchObject({
    intact: true,
    trusted: true,
    links: [
      { tsaRevokedAt: null, trusted: true },
      { tsaRevokedAt: null, trusted: true },
    ],
  });
  expect(rev.ocspRequests()).toBe(0);

  const online = await sealdesk('chain', first, '--json', '--online', '--allow-private-network');
  expect(online.code).toBe(1);
  const c = online.json();
  expect(rev.ocspRequests()).toBe(1); // the good TSA's certificate names no responder: only one question asked
  expect(c).toMatchObject({ intact: false, trusted: true }); // a revoked TSA certificate breaks the chain; it still chains to the anchor
  expect(c.links.map((l: { intact: boolean }) => l.intact)).toEqual([false, false]);
  expect(c.links[0].tsaRevokedAt).toBe(REVOKED_AT);
  expect(c.links[0].problems).toEqual([`made after its own TSA certificate was revoked (${REVOKED_AT})`]);
  expect(c.links[1].tsaRevokedAt).toBeNull();
  expect(c.links[1].problems).toEqual([
    `made after the previous TSA certificate was revoked (${REVOKED_AT}): it does not protect the previous link`,
  ]);
  expect(c.protectedUntil).toBe(c.links[1].tsaCertNotAfter);

  const again = await sealdesk('chain', second.json().id, '--json'); // offline, any link names the chain
  expect(again.code).toBe(1);
  expect(again.json().links[0].tsaRevokedAt).toBe(REVOKED_AT);
  expect(rev.ocspRequests()).toBe(1);
  const text = await sealdesk('chain', first);
  expect(text.stdout).toContain('chain BROKEN');
});

it('a chain whose newest TSA certificate is known revoked is not extended: restamp refuses, and the chain says why', async () => {
  const id = await stampWithRevokedTsa('deed.txt');
  const c = await sealdesk('chain', id, '--online', '--allow-private-network', '--json');
  expect(c.json().links[0].problems).toContain(
    `its TSA certificate was revoked on ${REVOKED_AT}: this chain can no longer be extended — the record needs a new time-stamp over the document itself`,
  );
  expect(c.json().protectedUntil).toBe(REVOKED_AT);
  const r = await sealdesk('restamp', id, '--tsa', 'good', '--json');
  expect(r.code).toBe(2);
  expect(r.json()).toMatchObject({ code: 'CERT_REVOKED', id });
  expect((await sealdesk('chain', id, '--json')).json().links).toHaveLength(1);
});

it('a .p7s whose time-stamp came from the revoked TSA: its chain is checked against the same known revocation', async () => {
  const doc = join(work.path, 'invoice.csv');
  writeFileSync(doc, `invoice ${Math.random()}\n`);
  const sealed = await sealdesk(
    'seal',
    doc,
    '--key',
    pki.signer.keyPath,
    '--chain',
    pki.signer.chainPath,
    '--tsa',
    'revoked',
    '--json',
  );
  expect(sealed.code, sealed.stderr).toBe(0);
  const c = await sealdesk('chain', sealed.json().operationId, '--online', '--allow-private-network', '--json'); // --online: its TSA's responder is asked
  expect(c.code).toBe(1);
  expect(c.json()).toMatchObject({
    intact: false,
    trusted: true,
    protectedUntil: REVOKED_AT,
    links: [{ kind: 'signature-timestamp', tsaRevokedAt: REVOKED_AT, intact: false, trusted: true }],
  });
  expect(c.json().links[0].problems).toContain(`made after its own TSA certificate was revoked (${REVOKED_AT})`);
});
