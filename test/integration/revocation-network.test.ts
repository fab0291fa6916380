// Network inputs from documents (issue 14) and proof of existence in PDFs (issue 13), through the CLI: a sealed file's
// certificate names the loopback `openssl ocsp` responder, which `verify --online` and `restamp` refuse to ask without
// --allow-private-network (the reason in the report, nothing sent) and ask with it; a PDF signature time-stamp from a
// TSA that does not chain to the anchor is shown, with the reason, and is not the proof of existence.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { startRevocationServer, type RevocationServer } from '../helpers/ocsp-responder.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('revocation-network');
let pki: TestPki;
let other: TestPki;
let tsa: LoopbackTsa;
let foreignTsa: LoopbackTsa;
let rev: RevocationServer;
let sealdesk: ReturnType<typeof cliRunner>;
const refusedLoopback =
  /http:\/\/127\.0\.0\.1:\d+\/ocsp: refused: 127\.0\.0\.1 is a loopback address \(a document's revocation URLs may reach only public addresses unless --allow-private-network\)/;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  other = await createTestPki(join(work.path, 'other'));
  tsa = await startTsa({ pki });
  foreignTsa = await startTsa({ pki: other });
  rev = await startRevocationServer(pki);
  sealdesk = cliRunner({ SEALDESK_HOME: join(work.path, 'home'), SEALDESK_TSA_TIMEOUT_MS: '3000' });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url, '--name', 'Loop TSA')).code).toBe(0);
  expect((await sealdesk('tsa', 'add', 'foreign', foreignTsa.url, '--name', 'Foreign TSA')).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await tsa.close();
  await foreignTsa.close();
  await rev.close();
  work.remove();
});

async function sealPdf(name: string, tsaSlug: string, cert = rev.signer): Promise<string> {
  const out = join(work.path, `${name}-sealed.pdf`);
  const r = await sealdesk(
    'seal',
    writeMinimalPdf(join(work.path, `${name}.pdf`)),
    '--key',
    cert.keyPath,
    '--chain',
    cert.chainPath,
    '--tsa',
    tsaSlug,
    '--level',
    'B-T',
    '--out',
    out,
  );
  expect(r.code, r.stderr).toBe(0);
  return out;
}

describe('verify --online', () => {
  it('a loopback OCSP URL is refused without --allow-private-network (INDETERMINATE, the reason in the report, nothing sent) and used with it', async () => {
    const pdf = await sealPdf('online', 'loop');
    const asked = rev.ocspRequests() + rev.crlRequests();
    const refused = await sealdesk('verify', pdf, '--trust', pki.root.certPath, '--online', '--json');
    expect(refused.code).toBe(1);
    const sig = refused.json().signatures[0];
    expect(sig).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(sig.revocation[0]).toMatchObject({
      subject: expect.stringMatching(/Seal OCSP/),
      status: 'missing',
      source: null,
    });
    expect(sig.revocation[0].detail).toMatch(refusedLoopback);
    expect(sig.reasons.join('\n')).toMatch(refusedLoopback);
    expect(rev.ocspRequests() + rev.crlRequests()).toBe(asked);

    const allowed = await sealdesk(
      'verify',
      pdf,
      '--trust',
      pki.root.certPath,
      '--online',
      '--allow-private-network',
      '--json',
    );
    expect(allowed.code, JSON.stringify(allowed.json().signatures?.[0]?.reasons)).toBe(0);
    expect(allowed.json().signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED' });
    expect(allowed.json().signatures[0].revocation[0]).toMatchObject({
      subject: expect.stringMatching(/Seal OCSP/),
      status: 'good',
      source: 'online',
    });
    expect(rev.ocspRequests()).toBeGreaterThan(0);
    expect(rev.ocspRequests() + rev.crlRequests()).toBe(asked + 1);
  });
});

describe('restamp', () => {
  it('a .p7s whose certificate names the loopback responder: refused without the flag (nothing written), restamped with it', async () => {
    const doc = join(work.path, 'minutes.txt');
    writeFileSync(doc, `minutes ${Math.random()}\n`);
    const sealed = (
      await sealdesk(
        'seal',
        doc,
        '--key',
        rev.signer.keyPath,
        '--chain',
        rev.signer.chainPath,
        '--tsa',
        'loop',
        '--json',
      )
    ).json();
    const asked = rev.ocspRequests() + rev.crlRequests();
    const before = readFileSync(sealed.p7sPath);
    const refused = await sealdesk('restamp', sealed.operationId, '--tsa', 'loop', '--json');
    expect(refused.code).toBe(2);
    expect(refused.json()).toMatchObject({ code: 'REVOCATION_UNAVAILABLE' });
    expect(refused.json().message).toMatch(refusedLoopback);
    expect(rev.ocspRequests() + rev.crlRequests()).toBe(asked);
    expect(readFileSync(sealed.p7sPath).equals(before)).toBe(true);
    const r = await sealdesk('restamp', sealed.operationId, '--tsa', 'loop', '--allow-private-network', '--json');
    expect(r.code, r.stdout).toBe(0);
    expect(r.json()).toMatchObject({ format: 'cades', level: 'B-LTA' });
    expect(r.json().missingValidationData).toBeUndefined();
  });
});

describe('proof of existence in a PDF', () => {
  it('a signature time-stamp from a TSA that does not chain to the anchor: its time shown, not the proof of existence, the reason says so', async () => {
    const pdf = await sealPdf('foreign', 'foreign', pki.signer);
    const r = await sealdesk('verify', pdf, '--trust', pki.root.certPath, '--json');
    expect(r.code).toBe(1);
    const sig = r.json().signatures[0];
    expect(sig).toMatchObject({
      intact: true,
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
      proofOfExistence: { source: 'validation-time' },
    });
    expect(sig.timestamp.genTime).toMatch(/^20\d\d-/);
    expect(sig.reasons.join('\n')).toMatch(
      /the time-stamp authority's certificate does not chain to a trust anchor \(.*; its time, 20\d\d-\S+, cannot be relied on as proof of existence\)/,
    );
    const trusted = await sealdesk(
      'verify',
      await sealPdf('trusted', 'loop', pki.signer),
      '--trust',
      pki.root.certPath,
      '--json',
    );
    expect(trusted.json().signatures[0]).toMatchObject({
      indication: 'TOTAL-PASSED',
      proofOfExistence: { source: 'signature-timestamp' },
    });
  });

  it('a document time-stamp is the proof of existence of the signatures before it only when its TSA chains to the anchor', async () => {
    const poeOf = async (tsaSlug: string) => {
      const out = join(work.path, `doc-ts-${tsaSlug}.pdf`);
      const sealed = await sealdesk(
        'seal',
        writeMinimalPdf(join(work.path, `doc-ts-${tsaSlug}-in.pdf`)),
        '--key',
        pki.signer.keyPath,
        '--chain',
        pki.signer.chainPath,
        '--tsa',
        'none',
        '--out',
        out,
        '--json',
      );
      expect(sealed.code, sealed.stderr).toBe(0);
      const r = await sealdesk('restamp', sealed.json().operationId, '--tsa', tsaSlug, '--json'); // B-B → a document time-stamp
      expect(r.code, r.stdout).toBe(0);
      const v = (await sealdesk('verify', out, '--trust', pki.root.certPath, '--json')).json();
      expect(v.signatures.map((s: { kind: string }) => s.kind)).toEqual(['signature', 'document-timestamp']);
      return v.signatures[0].proofOfExistence.source as string;
    };
    expect(await poeOf('loop')).toBe('document-timestamp');
    expect(await poeOf('foreign')).toBe('validation-time');
  });
});
