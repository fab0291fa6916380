// Qualified status from synthetic EU trusted lists (issue 18): a LOTL and an EE list signed with test keys list the
// test root as CA/QC (QCStatement, QCForESeal, QCWithQSCD), one loopback OpenSSL TSA as a granted QTST and another as
// a QTST withdrawn yesterday. A seal is QESeal; a token from before the withdrawal is qualified and one from today is
// not; `stamp --qualified` uses the granted QTST and is refused (exit 3) without lists or for the withdrawn TSA;
// `verify --trust-eu` trusts a chain under the listed CA and names the list's country and service.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../main/dispatch.js';
import { createMainSide } from '../../main/main-side.js';
import { createServices } from '../../main/services/index.js';
import type { PdfReport } from '../../core/model/index.js';
import type { QualifiedPlan } from '../../preload/api.js';
import type { ServerContext } from '../../server/context.js';
import { verifyUpload } from '../../server/sealing/verify.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, issueCertificate, type TestCert, type TestPki } from '../helpers/pki.js';
import { buildLotl, buildTl, QUALIFIER, signList } from '../helpers/tl-builder.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const tmp = tempDir('tl-qualified');
const NOW = new Date();
const WITHDRAWN = new Date(NOW.getTime() - 86_400_000); // between the "-2d" token and today's
let pki: TestPki;
let oj: TestCert;
let qtsa: LoopbackTsa; // pki.tsa: a granted QTST
let ecNow: LoopbackTsa; // pki.tsaEc: its QTST withdrawn yesterday
let ecPast: LoopbackTsa; // the same key, its clock two days behind (libfaketime)
const lists: string[] = [];
let n = 0;

beforeAll(async () => {
  pki = await createTestPki(join(tmp.path, 'pki'));
  const validity = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z') };
  oj = await issueCertificate(pki.root, join(tmp.path, 'pki'), {
    name: 'oj',
    cn: 'Test OJ',
    serial: '81',
    ...validity,
  });
  const lotl = buildLotl({
    sequence: 20,
    pointers: [
      { territory: 'EU', location: 'https://lotl.test/eu-lotl.xml', certificates: [oj.der] },
      { territory: 'EE', location: 'https://tl.test/ee.xml', certificates: [pki.signerEc.der] },
    ],
  });
  const ee = buildTl({
    territory: 'EE',
    sequence: 9,
    nextUpdate: new Date(NOW.getTime() + 90 * 86_400_000),
    services: [
      {
        tspName: 'Test Trust Services AS',
        serviceName: 'Test QC CA for e-seals',
        type: 'caQc',
        certificates: [pki.root.der],
        statuses: [
          {
            status: 'granted',
            from: '2020-01-01',
            additionalInfo: [QUALIFIER('ForeSeals')],
            qualifications: [
              {
                qualifiers: [QUALIFIER('QCStatement'), QUALIFIER('QCForESeal'), QUALIFIER('QCWithQSCD')],
                keyUsage: [{ bit: 'nonRepudiation', value: true }],
              },
            ],
          },
        ],
      },
      { tspName: 'Test Trust Services AS', serviceName: 'Test QTSA', type: 'tsaQtst', certificates: [pki.tsa.der] },
      {
        tspName: 'Test Trust Services AS',
        serviceName: 'Test QTSA EC',
        type: 'tsaQtst',
        certificates: [pki.tsaEc.der],
        statuses: [
          { status: 'granted', from: '2020-01-01' },
          { status: 'withdrawn', from: WITHDRAWN },
        ],
      },
    ],
  });
  lists.push(join(tmp.path, 'lotl.xml'), join(tmp.path, 'ee.xml'));
  writeFileSync(lists[0]!, await signList(lotl, oj));
  writeFileSync(lists[1]!, await signList(ee, pki.signerEc));
  qtsa = await startTsa({ pki });
  ecNow = await startTsa({ pki, signer: 'tsaEc' });
  ecPast = await startTsa({ pki, signer: 'tsaEc', clockOffset: '-2d' });
}, 90_000);
afterAll(async () => {
  await Promise.all([qtsa, ecNow, ecPast].map((t) => t?.close()));
  tmp.remove();
});

/** A CLI on a fresh data folder with the loopback TSAs; `withLists`: the test OJ anchor added and the lists imported. */
const homes: string[] = [];
async function cli(withLists = true, files: readonly string[] = lists) {
  homes.push(join(tmp.path, `home-${n++}`));
  const sealdesk = cliRunner({ SEALDESK_HOME: homes.at(-1)!, SEALDESK_TSA_TIMEOUT_MS: '3000' });
  await isolateTsas(sealdesk);
  for (const [slug, t] of [
    ['qtsa', qtsa],
    ['ec', ecNow],
    ['ec-past', ecPast],
  ] as const)
    expect((await sealdesk('tsa', 'add', slug, t.url, '--name', `TSA ${slug}`)).code).toBe(0);
  if (!withLists) return sealdesk;
  const asked = await sealdesk('tl', 'anchors', 'add', oj.certPath);
  const fp = /SHA-256 ([0-9a-f]{64})/.exec(asked.stderr)?.[1];
  expect((await sealdesk('tl', 'anchors', 'add', oj.certPath, '--sha256', fp!)).code).toBe(0);
  const imported = await sealdesk('tl', 'import', ...files);
  expect(imported.code, imported.stderr).toBe(files === lists ? 0 : 1); // 1: a list's signature failed
  return sealdesk;
}

/** One data folder with the lists imported, shared by the verify tests (an import verifies every list's signature). */
let shared: Promise<ReturnType<typeof cliRunner>> | undefined;
const sharedCli = () => (shared ??= cli());

function file(name: string): string {
  const dir = join(tmp.path, `files-${n}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `content of ${name} ${Math.random()}`);
  return path;
}

describe('qualified status from synthetic trusted lists', () => {
  it('a token from before the QTST withdrawal is qualified, one from after is not; the claim is not proof', async () => {
    const sealdesk = await sharedCli();
    const before = file('before.txt');
    const after = file('after.txt');
    expect((await sealdesk('stamp', before, '--tsa', 'ec-past')).code).toBe(0);
    expect((await sealdesk('stamp', after, '--tsa', 'ec')).code).toBe(0);
    const q = async (f: string) =>
      (await sealdesk('verify', f, '--tsr', `${f}.tsr`, '--json')).json().details as Record<string, any>;
    const old = await q(before);
    expect(old.qualification).toMatchObject({
      level: 'QTST',
      service: { territory: 'EE', serviceName: 'Test QTSA EC', tspName: 'Test Trust Services AS' },
      statusAtTime: { status: 'granted' },
      list: { territory: 'EE', sequenceNumber: 9, signature: 'valid', stale: false },
      qtstClaim: false,
    });
    expect(old.qc).toEqual({ isEidasQualified: true });
    const recent = await q(after);
    expect(recent.qualification).toMatchObject({ level: 'not-qualified', statusAtTime: { status: 'withdrawn' } });
    expect(recent.qualification.reason).toMatch(/withdrawn since/);
    expect(recent.qc).toEqual({ isEidasQualified: false });
  });

  it('a seal under the CA/QC service (QCForESeal, QCWithQSCD) is a QESeal; --trust-eu trusts it, naming EE', async () => {
    const sealdesk = await sharedCli();
    const pdf = writeMinimalPdf(join(tmp.path, `memo-${n}.pdf`));
    const out = join(tmp.path, `memo-${n}_sealed.pdf`);
    const sealed = await sealdesk(
      'seal',
      pdf,
      '--key',
      pki.signer.keyPath,
      '--chain',
      pki.signer.chainPath,
      '--tsa',
      'qtsa',
      '--out',
      out,
    );
    expect(sealed.code, sealed.stderr).toBe(0);
    const plain = (await sealdesk('verify', out, '--json')).json();
    expect(plain.pades.certificate).toMatchObject({
      trust: 'untrusted',
      qc: { isEidasQualified: true },
      qualification: { level: 'QESeal', service: { territory: 'EE', serviceName: 'Test QC CA for e-seals' } },
    });
    expect(plain.pades.timestamp.qualification).toMatchObject({ level: 'QTST' });
    const html = join(tmp.path, `report-${n}.html`);
    const text = await sealdesk('verify', out, '--report', html);
    expect(text.stdout).toContain('EU: Qualified electronic seal (EE, Test Trust Services AS)');
    expect(text.stdout).toContain('time-stamp EU: Qualified electronic time-stamp (EE, Test Trust Services AS)');
    expect(readFileSync(html, 'utf8')).toContain(
      '<tr><td>EU qualified status</td><td>Qualified electronic seal (EE, Test Trust Services AS)</td></tr>',
    );
    const eu = (await sealdesk('verify', out, '--trust-eu', '--json')).json();
    const signer = eu.signatures[0].signer;
    expect(signer.trust).toBe('chained');
    expect(signer.trustSource).toEqual({
      kind: 'eu-tl',
      territory: 'EE',
      tspName: 'Test Trust Services AS',
      serviceName: 'Test QC CA for e-seals',
      type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
    });
    expect(eu.signatures[0].timestamp.tsa.trustSource).toMatchObject({ kind: 'eu-tl', serviceName: 'Test QTSA' });
    expect(eu.indication).not.toBe('TOTAL-FAILED');
    // The desktop: main's dispatch to the real services on the same data folder, the Verify option "trust the EU lists"
    const services = createServices({ dataDir: homes[0]!, version: 'test' });
    const side = createMainSide({ dataDir: homes[0]!, hooks: { saveFile: async () => null } });
    const ours = 'file:///opt/Sealdesk/renderer/dist/index.html';
    const files = [side.files.issue(out).handle];
    const desk = await dispatch('verify:files', ours, { files, trustEu: true }, services, (u) => u === ours, side);
    expect(desk).toMatchObject({ ok: true });
    const card = (desk as { value: { report: PdfReport }[] }).value[0]!.report.signatures[0]!;
    expect(card.signer?.trustSource).toMatchObject({ kind: 'eu-tl', territory: 'EE' });
    expect(card.qualification).toMatchObject({ level: 'QESeal' });
    // The server's /seal/verify, with the same cache (SEALDESK_TL_HOME): the seed's qc.isEidasQualified from the lists
    const server = { sealing: { store: null, platform: null, tlHome: homes[0] }, now: () => new Date() };
    const seed = (await verifyUpload(server as unknown as ServerContext, { file: readFileSync(out) })) as any;
    expect(seed.pades.certificate.qc).toMatchObject({ isEidasQualified: true, qualification: { level: 'QESeal' } });
    expect(seed.pades.timestamp.qc).toMatchObject({ isEidasQualified: true, qualification: { level: 'QTST' } });
    expect(eu.signatures[0].reasons.join(' ')).not.toMatch(/does not chain to a trust anchor/);
  });

  it('a detached CAdES seal (.p7s) gets the same: QESeal, its time-stamp QTST, trusted with --trust-eu', async () => {
    const sealdesk = await sharedCli();
    const doc = file('invoice.xml');
    const sealed = await sealdesk(
      'seal',
      doc,
      '--key',
      pki.signer.keyPath,
      '--chain',
      pki.signer.chainPath,
      '--tsa',
      'qtsa',
    );
    expect(sealed.code, sealed.stderr).toBe(0);
    const r = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust-eu', '--json');
    const cades = r.json().cades;
    expect(cades.certificate).toMatchObject({
      trust: 'chained',
      trustSource: { kind: 'eu-tl', territory: 'EE', serviceName: 'Test QC CA for e-seals' },
      qualification: { level: 'QESeal', service: { territory: 'EE' } },
    });
    expect(cades.timestamp).toMatchObject({ trusted: true, qualification: { level: 'QTST' } });
    // Without --trust-eu its TSA is not trusted, so the signer is judged at the validation time: --at sets it
    const at = '2039-06-01T00:00:00.000Z';
    const later = (await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--at', at, '--json')).json().cades;
    expect(later.certificate.qualification).toMatchObject({ level: 'QESeal', statusAtTime: { time: at } });
  });

  it('a list whose signature fails is kept but makes nothing qualified; what it lists is reported beside', async () => {
    const tampered = join(tmp.path, 'ee-tampered.xml');
    writeFileSync(tampered, readFileSync(lists[1]!, 'utf8').replace('Test QTSA EC', 'Test QTSA ex'));
    const sealdesk = await cli(true, [lists[0]!, tampered]);
    const doc = file('tampered.txt');
    expect((await sealdesk('stamp', doc, '--tsa', 'ec-past')).code).toBe(0);
    const q = (await sealdesk('verify', doc, '--tsr', `${doc}.tsr`, '--json')).json().details;
    expect(q.qualification).toMatchObject({
      level: 'not-qualified',
      levelIfListTrusted: 'QTST',
      service: { serviceName: 'Test QTSA ex' },
      list: { territory: 'EE', signature: 'invalid' },
    });
    expect(q.qualification.reason).toMatch(/^the EE list is not trusted \(its signature is invalid\)/);
    expect(q.qc).toEqual({ isEidasQualified: false });
    const refused = await sealdesk('stamp', file('t2.txt'), '--qualified', '--tsa', 'qtsa');
    expect(refused.code).toBe(3); // its token is checked against a list that is not trusted
  });

  it('stamp --qualified uses the granted QTST; the withdrawn one is refused with exit 3, and so is any without lists', async () => {
    const sealdesk = await cli();
    const home = homes.at(-1)!;
    const before = qtsa.requestCount();
    const ok = await sealdesk('stamp', file('q.txt'), '--qualified', '--tsa', 'qtsa', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json()).toMatchObject({ qualified: true, tsaName: 'TSA qtsa', policyOid: expect.any(String) });
    expect(qtsa.requestCount()).toBe(before + 1);

    const probe = await sealdesk('stamp', file('w.txt'), '--qualified', '--tsa', 'ec', '--json');
    expect(probe.code).toBe(3); // first contact: its token is checked and not kept
    expect(probe.json()).toMatchObject({ code: 'NO_QUALIFIED_TSA' });
    const asked = ecNow.requestCount();
    const refused = await sealdesk('stamp', file('w2.txt'), '--qualified', '--tsa', 'ec');
    expect(refused.code).toBe(3); // its certificate is known now: refused before any request
    expect(refused.stderr).toMatch(/withdrawn/);
    expect(ecNow.requestCount()).toBe(asked);

    const dry = await sealdesk('stamp', '--qualified', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const plan = dry.json();
    expect(plan.usable.map((u: { slug: string }) => u.slug)).toContain('qtsa');
    expect(plan.refused.map((r: { slug: string }) => r.slug)).toContain('ec');
    expect(plan.month).toMatchObject({ qualified: 1, all: 1 });

    // The desktop's Stamp view, "Qualified time-stamps only": main's dispatch to the services on the same data folder.
    const services = createServices({ dataDir: home, version: 'test', tsaTimeoutMs: 3000 });
    const side = createMainSide({ dataDir: home, hooks: { saveFile: async () => null } });
    const ours = 'file:///opt/Sealdesk/renderer/dist/index.html';
    const deskStamp = (name: string, tsa: string) => {
      const request = { files: [side.files.issue(file(name)).handle], tsa, qualified: true };
      return dispatch('stamp:files', ours, request, services, (u) => u === ours, side);
    };
    try {
      const desk = await deskStamp('desk.txt', 'qtsa');
      expect(desk).toMatchObject({
        ok: true,
        value: [{ tsaName: 'TSA qtsa', tsrPath: expect.stringMatching(/\.tsr$/) }],
      });
      expect(await deskStamp('desk-ec.txt', 'ec')).toMatchObject({ ok: false, error: { code: 'NO_QUALIFIED_TSA' } });
      const month = (await sealdesk('stamp', '--qualified', '--dry-run', '--json')).json().month;
      expect(month).toMatchObject({ qualified: 2, all: 2 }); // the desktop's stamp counted as qualified
      // "Which TSAs qualify?" (`--qualified --dry-run`): the same plan and count.
      const plan = await dispatch('stamp:qualifiedPlan', ours, {}, services, (u) => u === ours, side);
      expect(plan).toMatchObject({ ok: true, value: { month: { qualified: 2, all: 2 } } });
      const { usable, refused } = (plan as { value: QualifiedPlan }).value;
      expect(usable).toContainEqual({
        slug: 'qtsa',
        name: 'TSA qtsa',
        service: 'Test QTSA (EE, Test Trust Services AS)',
      });
      expect(refused).toContainEqual({ slug: 'ec', reason: expect.stringMatching(/withdrawn/) });
    } finally {
      services.close();
    }

    const bare = await cli(false);
    const none = await bare('stamp', file('n.txt'), '--qualified');
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/no EU trusted list is loaded/);
  });
});
