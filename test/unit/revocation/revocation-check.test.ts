// Revocation precedence and timing (issue 13) with answers OpenSSL makes: `revoked` from any source beats `good`
// whatever the order; a `good` issued before a proof of existence does not count; an OCSP response without
// nextUpdate counts only inside its freshness window. Network limits (issue 14) against the loopback `openssl ocsp`
// responder: loopback refused without allowPrivateNetwork (also when a host name resolves to it), the per-run and
// per-certificate caps; and the revocation cache's byte cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { x509 } from '../../../core/asn1/x509.js';
import {
  cacheRevocation,
  knownRevocationData,
  openLedger,
  revocationCacheBytes,
  type Ledger,
} from '../../../core/ledger/index.js';
import { privateAddressKind } from '../../../core/revocation/network.js';
import { checkRevocation, type RevocationItem } from '../../../core/validation/revocation-check.js';
import { startRevocationServer, type RevocationServer } from '../../helpers/ocsp-responder.js';
import { createTestPki, issueCertificate, type TestCert, type TestPki } from '../../helpers/pki.js';
import { crl, ocspResponse } from '../../helpers/revocation-fixtures.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('revocation-check');
let pki: TestPki;
let cert: TestCert; // names an OCSP responder and a CRL that are never asked here (offline checks)
let rev: RevocationServer;
let db: Ledger;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  cert = await withUrls('subject', 0x71, ['http://192.0.2.1/ocsp'], ['http://192.0.2.1/crl']);
  rev = await startRevocationServer(pki);
  db = openLedger(join(work.path, 'ledger.sqlite'));
}, 60_000);
afterAll(async () => {
  db.close();
  await rev.close();
  work.remove();
});

function withUrls(name: string, serial: number, ocsp: string[], crls: string[]): Promise<TestCert> {
  return issueCertificate(pki.root, work.path, {
    name,
    cn: `Sealdesk Test ${name}`,
    serial: serial.toString(16),
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
    extensions: [
      ...(ocsp.length
        ? [new x509.AuthorityInfoAccessExtension({ ocsp: ocsp.map((u) => new x509.GeneralName('url', u)) })]
        : []),
      ...(crls.length ? [new x509.CRLDistributionPointsExtension(crls)] : []),
    ],
  });
}

const now = () => new Date();
const item = (kind: 'ocsp' | 'crl', der: Uint8Array, from: RevocationItem['from']): RevocationItem => ({
  kind,
  der,
  from,
});

describe('precedence: revoked from any valid source beats good', () => {
  it('an OCSP "good" and a CRL listing the certificate: REVOKED, in either order', async () => {
    const good = item('ocsp', ocspResponse({ dir: work.path, issuer: pki.root, cert, days: 7, name: 'good' }), 'dss');
    const revoked = item(
      'crl',
      crl({ dir: work.path, issuer: pki.root, entries: [{ cert, revokedAt: '250101000000Z' }], name: 'revoked' }),
      'cms',
    );
    for (const pool of [
      [good, revoked],
      [revoked, good],
    ]) {
      const f = await checkRevocation(cert.der, pki.root.der, pool, now(), null);
      expect(f).toMatchObject({ status: 'revoked', source: 'cms', revokedAt: '2025-01-01T00:00:00.000Z' });
      expect(f.detail).toMatch(
        /^revoked according to CRL data in the signature \(it beats the "good" of the OCSP data in the DSS\)$/,
      );
    }
  });

  it('an OCSP "revoked" and a CRL that does not list the certificate: REVOKED, in either order', async () => {
    const revoked = item(
      'ocsp',
      ocspResponse({
        dir: work.path,
        issuer: pki.root,
        cert,
        revokedAt: '250301000000Z',
        days: 7,
        name: 'ocsp-revoked',
      }),
      'cms',
    );
    const good = item(
      'crl',
      crl({
        dir: work.path,
        issuer: pki.root,
        entries: [{ cert: pki.signer, revokedAt: '250101000000Z' }],
        name: 'crl-good',
      }),
      'dss',
    );
    for (const pool of [
      [good, revoked],
      [revoked, good],
    ]) {
      expect(await checkRevocation(cert.der, pki.root.der, pool, now(), null)).toMatchObject({
        status: 'revoked',
        source: 'cms',
        revokedAt: '2025-03-01T00:00:00.000Z',
      });
    }
  });

  it('with --online the ledger cache is a source too: its "revoked" beats the DSS\'s "good" (nothing fetched)', async () => {
    const good = item(
      'ocsp',
      ocspResponse({ dir: work.path, issuer: pki.root, cert, days: 7, name: 'dss-good' }),
      'dss',
    );
    expect(await checkRevocation(cert.der, pki.root.der, [good], now(), null)).toMatchObject({
      status: 'good',
      source: 'dss',
    });
    const cached = ocspResponse({
      dir: work.path,
      issuer: pki.root,
      cert,
      revokedAt: '250401000000Z',
      days: 7,
      name: 'ledger-revoked',
    });
    const certSha256 = createHash('sha256').update(cert.der).digest('hex');
    cacheRevocation(db, {
      kind: 'ocsp',
      url: 'http://192.0.2.1/ocsp',
      certSha256,
      der: cached,
      fetchedAt: new Date().toISOString(),
      nextUpdate: null,
    });
    const f = await checkRevocation(cert.der, pki.root.der, [good], now(), { db, now });
    expect(f).toMatchObject({ status: 'revoked', source: 'ledger', revokedAt: '2025-04-01T00:00:00.000Z' });
    expect(f.detail).toBe(
      'revoked according to OCSP data in the ledger cache (it beats the "good" of the OCSP data in the DSS)',
    );
  });

  it('an answer signed by another issuer is no source: the "revoked" it claims is ignored', async () => {
    const forged = item(
      'ocsp',
      ocspResponse({ dir: work.path, issuer: pki.tsa, cert, revokedAt: '250101000000Z', days: 7, name: 'forged' }),
      'dss',
    );
    const good = item('ocsp', ocspResponse({ dir: work.path, issuer: pki.root, cert, days: 7, name: 'good2' }), 'dss');
    expect(await checkRevocation(cert.der, pki.root.der, [forged, good], now(), null)).toMatchObject({
      status: 'good',
      source: 'dss',
    });
  });
});

describe('timing: what an answer speaks for', () => {
  let june: Uint8Array;
  beforeAll(() => {
    june = ocspResponse({ dir: work.path, issuer: pki.root, cert, days: 7, at: '@2025-06-01 00:00:00', name: 'june' });
  });

  it('a "good" issued before the proof of existence does not count: missing, with the reason (TRY_LATER in a report)', async () => {
    const f = await checkRevocation(
      cert.der,
      pki.root.der,
      [item('ocsp', june, 'dss')],
      { at: new Date('2025-06-02T00:00:00Z'), proven: true },
      null,
    );
    expect(f.status).toBe('missing');
    expect(f.detail).toMatch(
      /^the OCSP response in the DSS \(issued 2025-06-01T00:00:0\dZ?.*\) predates the proof of existence 2025-06-02T00:00:00\.000Z: only data issued at or after it shows the certificate was not revoked then; /,
    );
  });

  it('the same answer counts for a proof of existence before it, and a revocation counts whenever it was issued', async () => {
    expect(
      await checkRevocation(
        cert.der,
        pki.root.der,
        [item('ocsp', june, 'dss')],
        { at: new Date('2025-05-31T00:00:00Z'), proven: true },
        null,
      ),
    ).toMatchObject({ status: 'good' });
    const early = ocspResponse({
      dir: work.path,
      issuer: pki.root,
      cert,
      revokedAt: '250201000000Z',
      days: 7,
      at: '@2025-03-01 00:00:00',
      name: 'early-revoked',
    });
    expect(
      await checkRevocation(
        cert.der,
        pki.root.der,
        [item('ocsp', early, 'dss')],
        { at: new Date('2025-06-02T00:00:00Z'), proven: true },
        null,
      ),
    ).toMatchObject({ status: 'revoked', revokedAt: '2025-02-01T00:00:00.000Z' });
  });

  it('without a proof of existence the answer must be current at the validation time: stale after its nextUpdate', async () => {
    const f = await checkRevocation(cert.der, pki.root.der, [item('ocsp', june, 'dss')], now(), null);
    expect(f.status).toBe('missing');
    expect(f.detail).toMatch(/is stale at .* \(its nextUpdate 2025-06-08T00:00:0\d\.000Z has passed\)/);
  });

  it('an OCSP response without nextUpdate counts within 24 hours of its thisUpdate, not after', async () => {
    const fresh = ocspResponse({ dir: work.path, issuer: pki.root, cert, days: null, name: 'no-next-fresh' });
    const old = ocspResponse({ dir: work.path, issuer: pki.root, cert, days: null, at: '-2d', name: 'no-next-old' });
    expect(await checkRevocation(cert.der, pki.root.der, [item('ocsp', fresh, 'dss')], now(), null)).toMatchObject({
      status: 'good',
      source: 'dss',
    });
    const f = await checkRevocation(cert.der, pki.root.der, [item('ocsp', old, 'dss')], now(), null);
    expect(f.status).toBe('missing');
    expect(f.detail).toMatch(
      /^the OCSP response in the DSS \(issued .*\) has no nextUpdate and is more than 24 h older than .* \(the freshness window\); /,
    );
    // A wider window, stated by the caller, takes it.
    expect(
      await checkRevocation(
        cert.der,
        pki.root.der,
        [item('ocsp', old, 'dss')],
        { at: now(), proven: false, ocspFreshnessMs: 3 * 86_400_000 },
        null,
      ),
    ).toMatchObject({ status: 'good' });
  });
});

describe('network limits for --online', () => {
  const ctx = (network: { allowPrivateNetwork?: boolean; maxUrlsPerRun?: number; maxUrlsPerCertificate?: number }) => ({
    db,
    now,
    timeoutMs: 5000,
    network,
  });

  it('a loopback responder is refused without allowPrivateNetwork (nothing sent), and used with it', async () => {
    const before = rev.ocspRequests() + rev.crlRequests();
    const refused = await checkRevocation(rev.signer.der, pki.root.der, [], now(), ctx({}));
    expect(refused.status).toBe('missing');
    expect(refused.detail).toMatch(
      /\/ocsp: refused: 127\.0\.0\.1 is a loopback address \(a document's revocation URLs may reach only public addresses unless --allow-private-network\)/,
    );
    expect(refused.detail).toMatch(/\/crl: refused: 127\.0\.0\.1 is a loopback address/);
    expect(rev.ocspRequests() + rev.crlRequests()).toBe(before);
    const allowed = await checkRevocation(rev.signer.der, pki.root.der, [], now(), ctx({ allowPrivateNetwork: true }));
    expect(allowed).toMatchObject({ status: 'good', source: 'online' });
    expect(allowed.detail).toMatch(/^not revoked \(OCSP from http:\/\/127\.0\.0\.1:\d+\/ocsp, issued /);
    expect(rev.ocspRequests() + rev.crlRequests()).toBe(before + 1); // OCSP first: the CRL was not needed
  });

  it('a host name is resolved and every address checked: localhost is refused', async () => {
    const port = new URL(rev.ocspUrl).port;
    const named = await withUrls('localhost', 0x72, [`http://localhost:${port}/ocsp`], []);
    const f = await checkRevocation(named.der, pki.root.der, [], now(), ctx({}));
    expect(f.detail).toMatch(/refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
  });

  it('IP literals in any spelling are checked before connecting: [::1], 0x7f000001, [::ffff:10.0.0.1], 169.254.169.254', async () => {
    const odd = await withUrls(
      'literals',
      0x76,
      [
        'http://[::1]:1/ocsp',
        'http://0x7f000001:1/ocsp',
        'http://[::ffff:10.0.0.1]:1/ocsp',
        'http://169.254.169.254/ocsp',
      ],
      [],
    );
    const f = await checkRevocation(odd.der, pki.root.der, [], now(), ctx({}));
    expect(f.detail.split('; ')).toEqual([
      expect.stringMatching(/^http:\/\/\[::1\]:1\/ocsp: refused: ::1 is a loopback address/),
      expect.stringMatching(/^http:\/\/0x7f000001:1\/ocsp: refused: 127\.0\.0\.1 is a loopback address/),
      expect.stringMatching(/^http:\/\/\[::ffff:10\.0\.0\.1\]:1\/ocsp: refused: ::ffff:a00:1 is a private address/),
      expect.stringMatching(/^http:\/\/169\.254\.169\.254\/ocsp: refused: 169\.254\.169\.254 is a link-local address/),
    ]);
  });

  it('the per-run cap: a fetch past it in the same run is refused with the reason; a new run may fetch again', async () => {
    const fresh = openLedger(join(work.path, 'per-run.sqlite')); // nothing cached: every answer is fetched
    const other = await startRevocationServer(pki); // its certificates name other URLs: no answer of the first run serves them
    try {
      const limits = { allowPrivateNetwork: true, maxUrlsPerRun: 1, maxUrlsPerCertificate: 1 };
      const run = { db: fresh, now, timeoutMs: 5000, network: limits };
      expect(await checkRevocation(rev.crlOnlySigner.der, pki.root.der, [], now(), run)).toMatchObject({
        status: 'good',
        source: 'online',
      });
      const second = await checkRevocation(other.signer.der, pki.root.der, [], now(), run);
      expect(second.status).toBe('missing');
      expect(second.detail).toMatch(
        /\/ocsp: not fetched: this run already made its 1 revocation requests \(per-run limit\)/,
      );
      const next = { db: fresh, now, timeoutMs: 5000, network: limits };
      expect(await checkRevocation(other.signer.der, pki.root.der, [], now(), next)).toMatchObject({
        status: 'good',
        source: 'online',
      });
      expect(other.ocspRequests()).toBe(1);
    } finally {
      fresh.close();
      await other.close();
    }
  });

  it('the per-certificate cap: only the first URLs a certificate names are used', async () => {
    const many = await withUrls('many', 0x75, ['http://127.0.0.1:1/ocsp', rev.ocspUrl], [rev.crlUrl]);
    const f = await checkRevocation(
      many.der,
      pki.root.der,
      [],
      now(),
      ctx({ allowPrivateNetwork: true, maxUrlsPerCertificate: 1 }),
    );
    expect(f.status).toBe('missing');
    expect(f.detail).toMatch(
      /http:\/\/127\.0\.0\.1:1\/ocsp: .*; 2 more URL\(s\) not tried \(at most 1 per certificate\)$/,
    );
  });

  it('the address ranges', () => {
    const cases: [string, string | null][] = [
      ['127.0.0.1', 'a loopback address'],
      ['127.255.0.9', 'a loopback address'],
      ['::1', 'a loopback address'],
      ['::ffff:127.0.0.1', 'a loopback address'],
      ['169.254.169.254', 'a link-local address'],
      ['fe80::1', 'a link-local address'],
      ['febf::1', 'a link-local address'],
      ['10.1.2.3', 'a private address'],
      ['172.16.0.1', 'a private address'],
      ['172.31.255.255', 'a private address'],
      ['192.168.1.1', 'a private address'],
      ['fc00::1', 'a private address'],
      ['fd12::1', 'a private address'],
      ['0.0.0.0', 'an unspecified address'],
      ['::', 'an unspecified address'],
      ['172.32.0.1', null],
      ['192.0.2.1', null],
      ['8.8.8.8', null],
      ['2001:db8::1', null],
      ['fec0::1', null],
      ['::ffff:8.8.8.8', null],
    ];
    for (const [ip, kind] of cases) expect(privateAddressKind(ip), ip).toBe(kind);
  });
});

describe('the revocation cache is capped in bytes', () => {
  it('past the cap the oldest answers go first, down to 90 % of it; an OCSP answer saying "revoked" stays', async () => {
    const cache = openLedger(join(work.path, 'cache.sqlite'));
    try {
      const revoked = ocspResponse({
        dir: work.path,
        issuer: pki.root,
        cert,
        revokedAt: '250101000000Z',
        days: 7,
        name: 'cache-revoked',
      });
      const good = ocspResponse({ dir: work.path, issuer: pki.root, cert: pki.signer, days: 7, name: 'cache-good' });
      const cap = revoked.length + 2 * good.length + 10;
      const put = (certSha256: string, der: Uint8Array, at: string) =>
        cacheRevocation(
          cache,
          { kind: 'ocsp', url: `http://ocsp.example/${certSha256}`, certSha256, der, fetchedAt: at, nextUpdate: null },
          cap,
        );
      put('r', revoked, '2025-01-01T00:00:00.000Z'); // the oldest
      put('a', good, '2025-01-02T00:00:00.000Z');
      put('b', good, '2025-01-03T00:00:00.000Z');
      expect(revocationCacheBytes(cache)).toBe(cap - 10);
      put('c', good, '2025-01-04T00:00:00.000Z'); // over the cap by one answer: evicted down to 90 % of it
      expect(revocationCacheBytes(cache)).toBe(revoked.length + good.length);
      expect(revocationCacheBytes(cache)).toBeLessThanOrEqual(cap * 0.9);
      const held = ['r', 'a', 'b', 'c'].filter((k) => knownRevocationData(cache, k, []).length > 0);
      expect(held).toEqual(['r', 'c']);
    } finally {
      cache.close();
    }
  });
});
