// A restamp must extend protection (RFC 3161 §4): auto skips a TSA whose last seen certificate expires inside the
// window, a chain no enabled TSA can extend is reported no_tsa_extends_protection with nothing requested, a TSA never
// seen is asked once and its short certificate is not kept as a link, and no chain is restamped twice across runs.
// Real CLI, loopback OpenSSL TSAs whose requests are counted.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWithTsas, type cliRunner } from '../helpers/cli.js';
import { expiringTsaCert, withTsa } from '../helpers/expiring-tsa.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('restamp-extends');
let pki: TestPki;
let short: LoopbackTsa; // its certificate expires in 20 days: inside a 30-day window
let long: LoopbackTsa; // runs to 2040
let fresh: LoopbackTsa; // expires in 20 days too, and the ledger has never seen it
let sealdesk: ReturnType<typeof cliRunner>;
let n = 0;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  short = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 20 })) });
  fresh = await startTsa({
    pki: withTsa(pki, await expiringTsaCert(pki, { days: 20, name: 'tsaFresh', cn: 'Sealdesk Test TSA Fresh' })),
  });
  long = await startTsa({ pki });
  sealdesk = await cliWithTsas(
    { SEALDESK_HOME: join(work.path, 'home'), SEALDESK_TSA_TIMEOUT_MS: '2000' },
    {
      short: { url: short.url, name: 'Short TSA' },
      long: { url: long.url, name: 'Long TSA' },
    },
  );
}, 60_000);
afterAll(async () => {
  await Promise.all([short.close(), long.close(), fresh.close()]);
  work.remove();
});

/** `count` chains whose only link comes from the short TSA: due in a 30-day window. */
async function dueChains(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const f = join(work.path, `doc-${++n}.txt`);
    writeFileSync(f, `document ${n} ${Math.random()}`);
    const r = await sealdesk('stamp', f, '--tsa', 'short', '--json');
    expect(r.code, r.stderr).toBe(0);
    ids.push(r.json().id);
  }
  return ids;
}

const links = async (id: string) => (await sealdesk('chain', id, '--json')).json().links as { tsaName: string }[];
const tsa = async (slug: string, on: boolean) =>
  expect((await sealdesk('tsa', on ? 'enable' : 'disable', slug)).code).toBe(0);

describe('restamp --tsa auto extends protection', () => {
  it('skips the TSA whose certificate expires inside the window, uses the other; a second run finds nothing due', async () => {
    const ids = await dueChains(3);
    const dry = (await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json();
    expect(dry.selected).toBe(3);
    expect(dry.tsas).toEqual([
      expect.objectContaining({ slug: 'short', reason: 'expires_in_window', lastCertNotAfter: expect.any(String) }),
      expect.objectContaining({ slug: 'long', reason: 'unknown', lastCertNotAfter: null }),
    ]);
    expect(dry.noTsaExtendsProtection).toBe(0);
    const asked = { short: short.requestCount(), long: long.requestCount() };
    const run = await sealdesk('restamp', '--expiring-within', '30d', '--concurrency', '3', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ selected: 3, restamped: 3, failed: 0, noTsaExtendsProtection: 0 });
    expect(short.requestCount()).toBe(asked.short); // never asked: its certificate would not outlast the window
    expect(long.requestCount() - asked.long).toBe(3);
    for (const id of ids) expect((await links(id)).map((l) => l.tsaName)).toEqual(['Short TSA', 'Long TSA']);
    // Each chain is protected to 2040 now: not due again, nothing requested by the next run.
    expect((await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json()).toMatchObject({
      selected: 0,
    });
    const again = await sealdesk('restamp', '--expiring-within', '30d', '--json');
    expect(again.json()).toMatchObject({ selected: 0, restamped: 0 });
    expect(long.requestCount() - asked.long).toBe(3);
    const text = (await sealdesk('restamp', '--expiring-within', '30d', '--dry-run')).stdout;
    expect(text).toMatch(/short: Short TSA: certificate expires \d{4}-\d\d-\d\d, inside the window .* skipped/);
    expect(text).toMatch(
      /long: Long TSA: certificate valid until 2040-01-01, after \d{4}-\d\d-\d\d — extends protection/,
    );
  });

  it('only the expiring TSA enabled: no_tsa_extends_protection, nothing requested; the dry run says so per TSA', async () => {
    await tsa('long', false);
    const ids = await dueChains(2);
    const asked = short.requestCount();
    const text = (await sealdesk('restamp', '--expiring-within', '30d', '--dry-run')).stdout;
    expect(text).toMatch(/short: Short TSA: certificate expires .* inside the window/);
    expect(text).toContain('2 chain(s) would not be restamped: no_tsa_extends_protection');
    expect((await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json()).toMatchObject({
      noTsaExtendsProtection: 2,
    });
    const run = await sealdesk('restamp', '--expiring-within', '30d', '--json');
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ selected: 2, restamped: 0, failed: 2, noTsaExtendsProtection: 2 });
    for (const r of run.json().results)
      expect(r).toMatchObject({
        newId: null,
        reason: 'no_tsa_extends_protection',
        error: expect.stringMatching(/^no_tsa_extends_protection: /),
      });
    const plain = await sealdesk('restamp', '--expiring-within', '30d');
    expect(plain.stdout).toContain('2 chain(s) not restamped: no_tsa_extends_protection');
    // One chain by id, auto: the same rule (the window is now; the chain's own protection ends with this certificate).
    const one = await sealdesk('restamp', ids[0]!, '--json');
    expect(one.code).not.toBe(0);
    expect(one.json()).toMatchObject({ code: 'NO_TSA_EXTENDS_PROTECTION' });
    expect(short.requestCount()).toBe(asked);
    for (const id of ids) expect(await links(id)).toHaveLength(1);
    // A TSA that extends comes back: the open run finishes, each chain gets exactly one new link.
    await tsa('long', true);
    const resumed = await sealdesk('restamp', '--expiring-within', '30d', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json()).toMatchObject({ resumed: true, restamped: 2, failed: 0 });
    for (const id of ids) expect((await links(id)).map((l) => l.tsaName)).toEqual(['Short TSA', 'Long TSA']);
    expect(short.requestCount()).toBe(asked);
  });

  it('a TSA never seen is asked once: its certificate expires in the window, the token is not kept, no other chain asks', async () => {
    const ids = await dueChains(3);
    await tsa('short', false);
    await tsa('long', false);
    expect((await sealdesk('tsa', 'add', 'fresh', fresh.url, '--name', 'Fresh TSA')).code).toBe(0);
    const dry = (await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json();
    expect(dry.tsas).toEqual([expect.objectContaining({ slug: 'fresh', reason: 'unknown' })]);
    expect(dry.noTsaExtendsProtection).toBe(0);
    const run = await sealdesk('restamp', '--expiring-within', '30d', '--concurrency', '3', '--json');
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ selected: 3, restamped: 0, noTsaExtendsProtection: 3 });
    expect(fresh.requestCount()).toBe(1); // one probe; the other chains waited for its answer
    expect(
      run
        .json()
        .results.map((r: { error: string }) => r.error)
        .join('\n'),
    ).toMatch(
      /Fresh TSA answered with a certificate expiring \d{4}-\d\d-\d\d, which does not outlast .*: its token was not kept/,
    );
    for (const id of ids) expect(await links(id)).toHaveLength(1);
    // Its certificate is known now: the dry run and the next run skip it without a request.
    expect((await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json()).toMatchObject({
      tsas: [expect.objectContaining({ slug: 'fresh', reason: 'expires_in_window' })],
      noTsaExtendsProtection: 3,
    });
    expect((await sealdesk('restamp', '--expiring-within', '30d', '--json')).json()).toMatchObject({
      noTsaExtendsProtection: 3,
    });
    expect(fresh.requestCount()).toBe(1);
  });

  it('a sealed .p7s due in the window: not restamped while no enabled TSA extends it (file untouched), then by one that does', async () => {
    // The last test's chains first (that run is still open, and a resumed run takes no new seals); then fresh alone
    // stays enabled, known since the last test: its certificate expires in the window.
    await tsa('long', true);
    expect((await sealdesk('restamp', '--expiring-within', '30d', '--json')).json()).toMatchObject({
      resumed: true,
      restamped: 3,
      failed: 0,
    });
    await tsa('long', false);
    const doc = join(work.path, 'deed.txt');
    writeFileSync(doc, 'a deed, sealed');
    const sealed = await sealdesk(
      'seal',
      doc,
      '--key',
      pki.signer.keyPath,
      '--chain',
      pki.signer.chainPath,
      '--tsa',
      'short',
      '--json',
    );
    expect(sealed.code, sealed.stderr).toBe(0);
    const p7s = sealed.json().p7sPath as string;
    const before = readFileSync(p7s);
    const asked = { short: short.requestCount(), fresh: fresh.requestCount() };
    const run = await sealdesk('restamp', '--expiring-within', '30d', '--allow-missing-validation-data', '--json');
    expect(run.json().seals).toMatchObject({ selected: 1, restamped: 0, failed: 1 });
    expect(run.json().seals.results).toEqual([
      expect.objectContaining({ operationId: sealed.json().operationId, reason: 'no_tsa_extends_protection' }),
    ]);
    expect(readFileSync(p7s).equals(before)).toBe(true);
    expect({ short: short.requestCount(), fresh: fresh.requestCount() }).toEqual(asked);
    await tsa('long', true);
    const ok = await sealdesk('restamp', '--expiring-within', '30d', '--allow-missing-validation-data', '--json');
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.json().seals).toMatchObject({ restamped: 1, failed: 0 });
    expect(ok.json()).toMatchObject({ failed: 0 }); // the seal, still due, selected again
    expect({ short: short.requestCount(), fresh: fresh.requestCount() }).toEqual(asked);
    expect((await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json()).toMatchObject({
      selected: 0,
      seals: { selected: 0 },
    });
  });
});
