// Capabilities, not paths: main's handle registry, and dispatch() refusing raw paths and unknown handles with stable
// codes, placing outputs through the save hook, confirming trust anchors, and turning drops into handles. The real
// services, ledger, SoftHSM2 module and files; only Electron's dialogs are the test's hooks.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapabilityRegistry } from '../../../main/capabilities.js';
import type { ConfirmOptions, SaveOptions } from '../../../main/dialogs.js';
import { dispatch, dispatchDrop } from '../../../main/dispatch.js';
import { createMainSide } from '../../../main/main-side.js';
import { createServices } from '../../../main/services/index.js';
import type { Channel, FileRef, Pkcs11Module, Result, TokenItem } from '../../../preload/api.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { SOFTHSM_MODULE, createSoftHsmToken } from '../../helpers/softhsm.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('capabilities');
afterAll(() => work.remove());
const ours = 'file:///opt/Sealdesk/renderer/dist/index.html';
const isOurs = (url: string) => url === ours;
const file = (name: string, text = 'hello') => {
  writeFileSync(join(work.path, name), text);
  return join(work.path, name);
};

describe('CapabilityRegistry', () => {
  it('issues 128-bit handles for existing files and folders only, and resolves only what it issued', () => {
    const reg = new CapabilityRegistry();
    const a = reg.issue(file('a.txt', 'abc'));
    expect(a).toEqual({ handle: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'a.txt', size: 3, kind: 'file' });
    expect(reg.issue(join(work.path, 'a.txt')).handle).toBe(a.handle);
    expect(reg.issue(work.path)).toMatchObject({ kind: 'folder', size: 0 });
    expect(reg.resolve(a.handle)).toBe(join(work.path, 'a.txt'));
    expect(() => reg.resolve(join(work.path, 'a.txt'))).toThrow(
      expect.objectContaining({ code: 'CAPABILITY_UNKNOWN' }),
    );
    expect(() => reg.resolve('0'.repeat(32))).toThrow(expect.objectContaining({ code: 'CAPABILITY_UNKNOWN' }));
    expect(() => reg.issue(join(work.path, 'missing.pdf'))).toThrow(
      expect.objectContaining({ code: 'CAPABILITY_REFUSED' }),
    );
    expect(() => reg.issue('/dev/null')).toThrow(expect.objectContaining({ code: 'CAPABILITY_REFUSED' }));
  });

  it('keeps the recent files across runs and re-issues them as handles (gone ones are not offered)', () => {
    const recentFile = join(work.path, 'recent.json');
    const gone = file('gone.txt');
    new CapabilityRegistry({ recentFile }).remember([file('r1.txt'), gone]);
    rmSync(gone);
    const later = new CapabilityRegistry({ recentFile });
    expect(later.recent().map((r) => r.name)).toEqual(['r1.txt']);
    const handle = later.recent()[0]!.handle;
    expect(later.resolve(handle)).toBe(join(work.path, 'r1.txt'));
    expect(JSON.parse(readFileSync(recentFile, 'utf8'))).toEqual([join(work.path, 'r1.txt'), gone]);
  });
});

describe('dispatch with handles', () => {
  let pki: TestPki;
  const saves: SaveOptions[] = [];
  const confirms: ConfirmOptions[] = [];
  const shown: string[] = [];
  const answers: { save: string | null; confirm: boolean; choose: string[] } = {
    save: null,
    confirm: false,
    choose: [],
  };
  const dataDir = join(work.path, 'data');
  mkdirSync(dataDir, { recursive: true });
  const side = createMainSide({
    dataDir,
    hooks: {
      chooseFiles: async () => answers.choose,
      saveFile: async (o) => (saves.push(o), answers.save),
      confirm: async (o) => (confirms.push(o), answers.confirm),
      showInFolder: (p) => void shown.push(p),
    },
  });
  const services = createServices({ dataDir, version: 'test' });
  const call = <T = unknown>(channel: Channel, request: unknown) =>
    dispatch(channel, ours, request, services, isOurs, side) as Promise<Result<T>>;
  const choose = async (...paths: string[]) => {
    answers.choose = paths;
    const r = await call<FileRef[]>('desktop:chooseFiles', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  beforeAll(async () => {
    pki = await createTestPki(join(work.path, 'pki'));
  });

  it('refuses a raw path and an unknown handle with CAPABILITY_UNKNOWN, and serves a handle main issued', async () => {
    const pdf = writeMinimalPdf(join(work.path, 'doc.pdf'));
    expect(await call('pdf:bytes', { file: pdf, offset: 0, length: 5 })).toMatchObject({
      ok: false,
      error: { code: 'CAPABILITY_UNKNOWN' },
    });
    expect(await call('verify:files', { files: [pdf] })).toMatchObject({
      ok: false,
      error: { code: 'CAPABILITY_UNKNOWN' },
    });
    expect(await call('inspect:token', { file: 'f'.repeat(32) })).toMatchObject({
      ok: false,
      error: { code: 'CAPABILITY_UNKNOWN' },
    });
    expect(await call('pdf:bytes', { path: pdf, offset: 0, length: 5 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const [doc] = await choose(pdf);
    expect(doc).toMatchObject({ name: 'doc.pdf', kind: 'file' });
    const bytes = await call<{ bytes: Uint8Array }>('pdf:bytes', { file: doc!.handle, offset: 0, length: 5 });
    expect(bytes.ok && Buffer.from(bytes.value.bytes).toString('latin1')).toBe('%PDF-');
    expect(await call<FileRef[]>('files:recent', {})).toMatchObject({
      ok: true,
      value: [expect.objectContaining({ handle: doc!.handle })],
    });
  });

  it('writes outputs only where the save dialog chose; cancel is CANCELLED and nothing is made', async () => {
    const [doc] = await choose(writeMinimalPdf(join(work.path, 'report-me.pdf')));
    answers.save = null;
    expect(await call('verify:report', { files: [doc!.handle], saveAs: '../../etc/evil.pdf' })).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
    expect(saves.at(-1)).toMatchObject({
      title: 'Save the verification report',
      defaultPath: join(work.path, 'evil.pdf'),
    });
    const provision = { commonName: 'Acme Seal', organization: 'Acme AS', countryCode: 'NO' };
    expect(await call('certs:provision', provision)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(saves.at(-1)).toMatchObject({ defaultPath: 'Acme-Seal.csr' });
    expect(await call('certs:list', {})).toEqual({ ok: true, value: [] });
    answers.save = join(work.path, 'chosen.csr');
    expect(await call('certs:provision', provision)).toMatchObject({ ok: true, value: { csrPath: answers.save } });
    expect(readFileSync(answers.save, 'utf8')).toMatch(/BEGIN CERTIFICATE REQUEST/);
    answers.save = join(work.path, 'chosen-report.html');
    expect(await call('verify:report', { files: [doc!.handle] })).toMatchObject({
      ok: true,
      value: { path: answers.save },
    });
    expect(existsSync(answers.save)).toBe(true);
    expect(await call('verify:report', { files: [doc!.handle], out: '/tmp/x.html' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('shows in its folder only what Sealdesk wrote, the data folder, or a handle', async () => {
    expect(await call('desktop:showInFolder', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'CAPABILITY_UNKNOWN' },
    });
    expect(await call('desktop:showInFolder', { path: join(work.path, 'chosen.csr') })).toEqual({
      ok: true,
      value: { shown: true },
    });
    expect(await call('desktop:showInFolder', { path: dataDir })).toEqual({ ok: true, value: { shown: true } });
    expect(shown).toEqual([join(work.path, 'chosen.csr'), dataDir]);
  });

  it('adds a trust anchor only after the confirmation naming subject, issuer, validity and SHA-256', async () => {
    const [root] = await choose(pki.root.certPath);
    answers.confirm = false;
    expect(await call('trust:add', { file: root!.handle })).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const fingerprint = createHash('sha256').update(pki.root.der).digest('hex').toUpperCase().match(/../g)!.join(':');
    expect(confirms.at(-1)!.detail).toContain(`SHA-256: ${fingerprint}`);
    expect(confirms.at(-1)!.detail).toMatch(
      /Subject: .*Sealdesk Tests[\s\S]*Issuer: [\s\S]*Valid: \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/,
    );
    expect(await call('trust:list', {})).toEqual({ ok: true, value: [] });
    expect(await call('trust:add', { file: pki.root.certPath })).toMatchObject({
      ok: false,
      error: { code: 'CAPABILITY_UNKNOWN' },
    });
    answers.confirm = true;
    expect(await call('trust:add', { file: root!.handle })).toMatchObject({
      ok: true,
      value: [expect.objectContaining({ subject: expect.stringContaining('Sealdesk Tests') })],
    });
  });

  it('turns a drop into handles for existing files and folders, refusing the rest, from our frame only', () => {
    const dropped = dispatchDrop(
      ours,
      { paths: [file('dropped.txt'), work.path, '', join(work.path, 'nope.pdf')] },
      isOurs,
      side,
    );
    expect(dropped).toMatchObject({
      ok: true,
      value: {
        files: [{ name: 'dropped.txt', kind: 'file' }, { kind: 'folder' }],
        refused: [
          { index: 2, name: '' },
          { index: 3, name: 'nope.pdf' },
        ],
      },
    });
    expect(dispatchDrop('https://evil.example/', { paths: [work.path] }, isOurs, side)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(dispatchDrop(ours, { paths: 'x' }, isOurs, side)).toMatchObject({
      ok: false,
      error: { code: 'CAPABILITY_REFUSED' },
    });
  });

  it('hands files the OS opened to the window as handles, each with its view', async () => {
    side.opened.push([writeMinimalPdf(join(work.path, 'opened.pdf')), file('opened.tsr')]);
    expect(await call('app:opened', {})).toMatchObject({
      ok: true,
      value: [
        { file: { name: 'opened.pdf' }, view: 'Verify' },
        { file: { name: 'opened.tsr' }, view: 'Inspect' },
      ],
    });
    expect(await call('app:opened', {})).toEqual({ ok: true, value: [] });
  });
});

describe('PKCS#11 modules by id', () => {
  it("lists found modules and those picked in main's dialog; loads only those, never a named path", async () => {
    const dataDir = join(work.path, 'data-p11');
    mkdirSync(dataDir, { recursive: true });
    const pki = await createTestPki(join(work.path, 'pki-p11'));
    const token = await createSoftHsmToken(join(work.path, 'hsm'), 'Capabilities', [
      { label: 'seal', idHex: 'a1', cert: pki.signer },
    ]);
    let picked: string[] = [];
    const side = createMainSide({ dataDir, hooks: { chooseFiles: async () => picked } });
    const services = createServices({ dataDir, version: 'test' });
    const call = <T = unknown>(channel: Channel, request: unknown) =>
      dispatch(channel, ours, request, services, isOurs, side) as Promise<Result<T>>;
    const modules = await call<Pkcs11Module[]>('tokens:modules', {});
    const softhsm = modules.ok ? modules.value.find((m) => m.location === SOFTHSM_MODULE) : undefined;
    expect(softhsm).toMatchObject({ name: 'SoftHSM 2', source: 'known', id: expect.stringMatching(/^m[0-9a-f]{16}$/) });
    expect(await call('tokens:list', { module: SOFTHSM_MODULE })).toMatchObject({
      ok: false,
      error: { code: 'CAPABILITY_UNKNOWN' },
    });
    const listed = await call<TokenItem[]>('tokens:list', { module: softhsm!.id });
    expect(listed).toMatchObject({
      ok: true,
      value: expect.arrayContaining([expect.objectContaining({ label: token.label })]),
    });
    expect(await call('tokens:use', { module: softhsm!.id, token: token.label, idHex: 'a1' })).toMatchObject({
      ok: true,
      value: { kind: 'pkcs11' },
    });
    expect(await call('tokens:addModule', {})).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    picked = [file('libvendor-pkcs11.so', 'not loaded by listing')];
    const added = await call<Pkcs11Module[]>('tokens:addModule', {});
    expect(added).toMatchObject({
      ok: true,
      value: expect.arrayContaining([expect.objectContaining({ name: 'libvendor-pkcs11.so', source: 'picked' })]),
    });
    expect(JSON.parse(readFileSync(join(dataDir, 'pkcs11-modules.json'), 'utf8'))).toEqual(picked);
  });
});
