// A renderer request made fit for the services, in main: handles become paths, a module id the library's path, an
// output the place main's save dialog chose, and trust:add waits for the user's confirmation. Nothing the renderer
// sends is used as a path.
import { basename, dirname, extname, join, resolve } from 'node:path';
import { CoreError } from '../core/errors.js';
import type { OutputField, ServiceChannel } from '../preload/api.js';
import { CapabilityError } from './capabilities.js';
import type { FileFilter } from './dialogs.js';
import type { MainSide } from './main-side.js';
import { certificatesInFile } from './services/settings.js';
import { confirmRemoteSeal } from './remote-seal-confirm.js';

type Request = Record<string, unknown>;
type Output = {
  readonly title: string;
  readonly name: (r: Request, input: string | null) => string;
  readonly filters: readonly FileFilter[];
};

/** A suggested name without control characters (a save dialog shows it). */
const printable = (name: string) => [...name].filter((ch) => ch.charCodeAt(0) >= 0x20).join('');
const stem = (path: string | null, fallback: string) => (path ? basename(path, extname(path)) : fallback);

/** The save dialog of each channel that writes a file. */
const OUTPUTS: { readonly [C in keyof OutputField]: Output } = {
  'verify:report': {
    title: 'Save the verification report',
    name: (_r, input) => `${stem(input, 'verification')}-report.pdf`,
    filters: [
      { name: 'PDF report', extensions: ['pdf'] },
      { name: 'HTML report', extensions: ['html'] },
    ],
  },
  'verify:extractRevision': {
    title: 'Save the signed revision',
    name: (r, input) => `${stem(input, 'document')}-signed-revision-${String(r.revision)}.pdf`,
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
  },
  'inspect:export': {
    title: 'Save from the time-stamp',
    name: (r, input) => (r.what === 'token' ? `${stem(input, 'token')}-token.der` : `${stem(input, 'token')}-tsa.pem`),
    filters: [{ name: 'DER or PEM', extensions: ['der', 'pem', 'crt'] }],
  },
  'certs:provision': {
    title: 'Save the certificate request for your CA',
    name: (r) => `${String(r.commonName).replace(/[^\w.-]+/g, '-') || 'request'}.csr`,
    filters: [{ name: 'Certificate request', extensions: ['csr', 'pem'] }],
  },
};
const OUTPUT_FIELD: OutputField = {
  'verify:report': 'out',
  'verify:extractRevision': 'out',
  'inspect:export': 'out',
  'certs:provision': 'csrOut',
};
/** Request fields that hold lists of handles (verify's extra anchors, inspect's TSA certificates): each a path. */
const HANDLE_LISTS = ['trust', 'trustDev', 'tsaCertificates'] as const;
/** `verify --extract`: where a .p7m's content goes, chosen in the save dialog. */
const EXTRACT: Output = { title: "Save the signed file's content", name: () => 'content', filters: [] };
const isOutput = (c: ServiceChannel): c is keyof OutputField => c in OUTPUT_FIELD;

/** The request the services get for `request` (already checked against the contract's schema). */
export async function resolveRequest(side: MainSide, channel: ServiceChannel, request: unknown): Promise<Request> {
  const r: Request = { ...(request as Request) };
  if (Array.isArray(r.files)) r.paths = (r.files as string[]).map((h) => side.files.resolve(h));
  if (typeof r.file === 'string') r.path = side.files.resolve(r.file);
  delete r.files;
  delete r.file;
  for (const k of HANDLE_LISTS) if (Array.isArray(r[k])) r[k] = (r[k] as string[]).map((h) => side.files.resolve(h));
  if ((channel === 'verify:files' || channel === 'jobs:verify') && typeof r.extractAs === 'string') {
    const first = (r.paths as string[] | undefined)?.[0] ?? null;
    const name = basename(printable(r.extractAs)) || stem(first, 'content');
    r.extract = await chooseOutput(side, EXTRACT, name, first);
  }
  delete r.extractAs;
  if (channel === 'tokens:list' || channel === 'tokens:use') r.module = side.modules.pathOf(String(r.module));
  if (isOutput(channel)) {
    const suggested = typeof r.saveAs === 'string' ? basename(printable(r.saveAs)) : '';
    delete r.saveAs;
    const input =
      typeof r.path === 'string' ? r.path : Array.isArray(r.paths) ? ((r.paths as string[])[0] ?? null) : null;
    r[OUTPUT_FIELD[channel]] = await chooseOutput(
      side,
      OUTPUTS[channel],
      suggested || OUTPUTS[channel].name(r, input),
      input,
    );
  }
  if (channel === 'trust:add') r.sha256 = await confirmTrust(side, String(r.path));
  if ((channel === 'seal:files' || channel === 'jobs:seal') && typeof r.remoteCert === 'string')
    await confirmRemoteSeal(side, r.paths as string[], r.remoteCert); // the files leave only after the user's yes
  return r;
}

async function chooseOutput(side: MainSide, o: Output, name: string, input: string | null): Promise<string> {
  if (!side.hooks.saveFile)
    throw new CoreError('NOT_SUPPORTED', "where a file is saved is chosen in the desktop app's save dialog");
  const chosen = await side.hooks.saveFile({
    title: o.title,
    defaultPath: input ? join(dirname(input), name) : name,
    filters: o.filters,
  });
  if (!chosen) throw new CapabilityError('CANCELLED', 'nothing was saved');
  return chosen;
}

const colons = (hex: string) => hex.toUpperCase().replace(/(..)(?!$)/g, '$1:');

/** The user's yes to each certificate of the file (subject, issuer, validity, SHA-256); their fingerprints. */
async function confirmTrust(side: MainSide, path: string): Promise<string[]> {
  if (!side.hooks.confirm)
    throw new CoreError('NOT_SUPPORTED', 'a trust anchor is added only after a confirmation in the desktop app');
  const certs = await certificatesInFile(path);
  const detail = certs
    .map(({ facts, sha256 }) =>
      [
        `Subject: ${facts.subject}`,
        `Issuer: ${facts.issuer}`,
        `Valid: ${facts.notBefore.toISOString().slice(0, 10)} to ${facts.notAfter.toISOString().slice(0, 10)}`,
        `SHA-256: ${colons(sha256)}`,
      ].join('\n'),
    )
    .join('\n\n');
  const one = certs.length === 1;
  const yes = await side.hooks.confirm({
    title: 'Add a trust anchor',
    message: one ? `Trust "${certs[0]!.facts.subject}"?` : `Trust these ${certs.length} certificates?`,
    detail:
      `${detail}\n\nSignatures and time-stamps that chain to ${one ? 'it' : 'them'} will be reported as trusted. ` +
      'Compare the fingerprint with one your CA gave you by another channel.',
    confirm: 'Trust',
  });
  if (!yes) throw new CapabilityError('CANCELLED', 'not trusted: nothing was added');
  return certs.map((c) => c.sha256);
}

const OUTPUT_KEYS = new Set(['outputPath', 'tsrPath', 'csrPath', 'path']);
const MAX_WRITTEN = 100_000;
const written = (side: MainSide, path: string) => {
  side.written.delete(path); // newest last
  side.written.add(path);
  if (side.written.size > MAX_WRITTEN) side.written.delete(side.written.values().next().value!);
};

/** Remembers the paths a result reports written, so "show in folder" may reveal them (bounded walk). */
export function noteOutputs(side: MainSide, value: unknown): void {
  let budget = 200_000;
  const walk = (v: unknown, depth: number): void => {
    if (budget-- <= 0 || depth > 6 || v === null || typeof v !== 'object' || v instanceof Uint8Array) return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string' && OUTPUT_KEYS.has(k)) written(side, resolve(x));
      else walk(x, depth + 1);
    }
  };
  walk(value, 0);
}
