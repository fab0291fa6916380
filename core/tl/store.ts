// The trusted-list cache in the data folder, readable without the network: `<home>/trusted-lists/` holds each list's
// raw XML named by its SHA-256, `index.json` (what each list is, where it came from, what its signature check said),
// `snapshot.json` (the parsed lists, so verification never re-parses megabytes of XML) and the user's anchors.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { certificateFacts, parsePemCertificates } from '../asn1/certificate.js';
import { CoreError } from '../errors.js';
import { replaceOwnFile, writeNewFile } from '../fs/atomic.js';
import type { LoadedList, TlSignature, TlSnapshot } from './model.js';
import { OJ_ANCHORS_PEM } from './oj-anchors.js';
import { parseTrustedList } from './parse.js';
import { parseXml } from './xml.js';

export type RefusedCopy = {
  readonly sha256: string;
  readonly url: string;
  readonly fetchedAt: string;
  readonly signature: TlSignature;
  readonly reason: string | null;
};

export type IndexEntry = {
  readonly kind: 'lotl' | 'tl' | 'pivot';
  readonly url: string;
  readonly territory: string;
  readonly sequenceNumber: number;
  readonly issued: string;
  readonly nextUpdate: string | null;
  readonly sha256: string;
  readonly fetchedAt: string;
  readonly signature: TlSignature;
  readonly signedBy: string | null;
  readonly reason: string | null;
  /** The newest copy whose signature failed while this last good copy was kept. */
  readonly refused?: RefusedCopy;
};

export type TlIndex = { readonly version: 1; readonly updatedAt: string; readonly lists: readonly IndexEntry[] };

export type UserAnchor = {
  readonly sha256: string;
  readonly subject: string;
  readonly addedAt: string;
  readonly der: string;
};

export const tlDir = (home: string): string => join(home, 'trusted-lists');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function readOptional(path: string): Promise<Buffer | null> {
  return readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
}

/** Replaces a cache file atomically (or creates it). */
async function putFile(path: string, bytes: Uint8Array): Promise<void> {
  const current = await readOptional(path);
  if (current === null) await writeNewFile(path, bytes);
  else await replaceOwnFile(path, bytes, sha256(current));
}

export async function readIndex(home: string): Promise<TlIndex | null> {
  const bytes = await readOptional(join(tlDir(home), 'index.json'));
  return bytes === null ? null : (JSON.parse(bytes.toString('utf8')) as TlIndex);
}

/** Stores a list's raw bytes under their SHA-256 (kept once, never rewritten). */
export async function storeRaw(home: string, bytes: Uint8Array): Promise<string> {
  const digest = sha256(bytes);
  await mkdir(tlDir(home), { recursive: true });
  const path = join(tlDir(home), `${digest}.xml`);
  if ((await readOptional(path)) === null) await writeNewFile(path, bytes);
  return digest;
}

/** Deletes the cached raw lists the index no longer names (neither a list in use nor a refused copy). */
export async function pruneRaw(home: string, index: TlIndex): Promise<void> {
  const keep = new Set(index.lists.flatMap((e) => [e.sha256, ...(e.refused ? [e.refused.sha256] : [])]));
  for (const name of await readdir(tlDir(home))) {
    const digest = /^([0-9a-f]{64})\.xml$/.exec(name)?.[1];
    if (digest && !keep.has(digest)) await unlink(join(tlDir(home), name)).catch(() => undefined);
  }
}

export async function readRaw(home: string, digest: string): Promise<Uint8Array> {
  const bytes = await readOptional(join(tlDir(home), `${digest}.xml`));
  if (bytes === null || sha256(bytes) !== digest) {
    throw new CoreError(
      'TL_NOT_LOADED',
      `the cached list ${digest.slice(0, 16)}… is missing or damaged; refresh or import`,
    );
  }
  return bytes;
}

// Dates and certificates survive the JSON of snapshot.json as tagged values.
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Date) return { $d: raw.toISOString() };
  if (raw instanceof Uint8Array) return { $b: Buffer.from(raw).toString('base64') };
  return value;
}
function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as { $d?: string; $b?: string };
    if (typeof v.$d === 'string') return new Date(v.$d);
    if (typeof v.$b === 'string') return new Uint8Array(Buffer.from(v.$b, 'base64'));
  }
  return value;
}

/** Writes the parsed lists, then the index that commits them (the snapshot names the index it belongs to). */
export async function writeState(home: string, index: TlIndex, lists: readonly LoadedList[]): Promise<void> {
  await mkdir(tlDir(home), { recursive: true });
  const indexBytes = Buffer.from(JSON.stringify(index, null, 2) + '\n');
  const snapshot = JSON.stringify({ index: sha256(indexBytes), lists }, replacer);
  await putFile(join(tlDir(home), 'snapshot.json'), Buffer.from(snapshot));
  await putFile(join(tlDir(home), 'index.json'), indexBytes);
}

/** A cached list, parsed again from its raw XML, with what the index says of it. */
export async function loadEntry(home: string, e: IndexEntry): Promise<LoadedList> {
  const list = parseTrustedList(parseXml(await readRaw(home, e.sha256)));
  const { url, sha256: digest, signature, signedBy, reason } = e;
  return { ...list, source: url, sha256: digest, fetchedAt: new Date(e.fetchedAt), signature, signedBy, reason };
}

/** The lists last loaded per cache folder, reused while its index stays the same (a long-running desktop app). */
const parsedOnce = new Map<string, { readonly index: string; readonly lists: LoadedList[] }>();

/** Makes the next loadSnapshot read the files again, as a new process would (benchmarks). */
export function forgetLoadedSnapshots(): void {
  parsedOnce.clear();
}

/**
 * Everything the cache holds, for qualification: null when no list is loaded. Reads the compact snapshot.json when it
 * belongs to the current index, else parses the raw lists once and rewrites it.
 */
export async function loadSnapshot(home: string, now: Date = new Date()): Promise<TlSnapshot | null> {
  const dir = tlDir(home);
  const indexBytes = await readOptional(join(dir, 'index.json'));
  if (indexBytes === null) return null;
  const index = JSON.parse(indexBytes.toString('utf8')) as TlIndex;
  const entries = index.lists.filter((e) => e.kind !== 'pivot');
  if (entries.length === 0) return null;
  const anchorCount = (await allAnchors(home)).length;
  const indexSha = sha256(indexBytes);
  const memo = parsedOnce.get(dir);
  if (memo?.index === indexSha) return { lists: memo.lists, anchorCount, loadedAt: now };
  const cached = await readOptional(join(dir, 'snapshot.json'));
  let lists: LoadedList[] | null = null;
  if (cached !== null) {
    const snap = JSON.parse(cached.toString('utf8'), reviver) as { index: string; lists: LoadedList[] };
    if (snap.index === indexSha) lists = snap.lists;
  }
  if (lists === null) {
    lists = await Promise.all(entries.map((e) => loadEntry(home, e)));
    await writeState(home, index, lists);
  }
  parsedOnce.set(dir, { index: indexSha, lists });
  return { lists, anchorCount, loadedAt: now };
}

export type Anchor = { readonly der: Uint8Array; readonly sha256: string; readonly subject: string };
export type AnchorSource = Anchor & { readonly source: 'bundled' | 'user'; readonly addedAt: string | null };

export async function readUserAnchors(home: string): Promise<UserAnchor[]> {
  const bytes = await readOptional(join(tlDir(home), 'anchors.json'));
  return bytes === null ? [] : (JSON.parse(bytes.toString('utf8')) as UserAnchor[]);
}

/** The bundled OJ certificates, then the user's additions (a duplicate of a bundled one counts once). */
export async function allAnchors(home: string): Promise<AnchorSource[]> {
  const bundled = OJ_ANCHORS_PEM.flatMap(parsePemCertificates).map((der) => ({
    ...describe(der),
    source: 'bundled' as const,
    addedAt: null,
  }));
  const seen = new Set(bundled.map((a) => a.sha256));
  const user = (await readUserAnchors(home))
    .filter((u) => !seen.has(u.sha256))
    .map((u) => ({ ...describe(Buffer.from(u.der, 'base64')), source: 'user' as const, addedAt: u.addedAt }));
  return [...bundled, ...user];
}

export function describe(der: Uint8Array): Anchor {
  return { der: new Uint8Array(der), sha256: sha256(der), subject: certificateFacts(der).subject };
}

/** Adds a LOTL signing certificate of the user's (a new OJ publication); false when it was already there. */
export async function addUserAnchor(home: string, der: Uint8Array, now: Date): Promise<boolean> {
  const a = describe(der);
  if ((await allAnchors(home)).some((x) => x.sha256 === a.sha256)) return false;
  const entry: UserAnchor = {
    sha256: a.sha256,
    subject: a.subject,
    addedAt: now.toISOString(),
    der: Buffer.from(der).toString('base64'),
  };
  const stored = [...(await readUserAnchors(home)), entry];
  await mkdir(tlDir(home), { recursive: true });
  await putFile(join(tlDir(home), 'anchors.json'), Buffer.from(JSON.stringify(stored, null, 2) + '\n'));
  return true;
}
