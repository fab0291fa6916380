// The trusted-list actions (issue 18), one function each for the CLI and the desktop: import lists from files, refresh
// them from the EU LOTL URL, show their status, list and add the LOTL signing certificates (anchors).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { certificateFacts } from '../asn1/certificate.js';
import { CoreError, errorMessage, InputError } from '../errors.js';
import { DEFAULT_MAX_PIVOTS, parseRaw, type ParsedList } from '../tl/chain.js';
import { DEFAULT_FETCH_CAPS, FetchBudget, type TlFetchCaps } from '../tl/fetch.js';
import { ingest, type IngestOutcome } from '../tl/ingest.js';
import type { TlSignature } from '../tl/model.js';
import { addUserAnchor, allAnchors, describe, readIndex, type AnchorSource } from '../tl/store.js';

export const EU_LOTL_URL = 'https://ec.europa.eu/tools/lotl/eu-lotl.xml';
export const TSL_MIME = 'application/vnd.etsi.tsl+xml';

/** Reads and parses list files (never changing them); the LOTLs among them (the newest is the LOTL, the others its
 * pivots) and the national lists. */
export async function tlImport(home: string, files: readonly string[], now = new Date()): Promise<IngestOutcome[]> {
  if (files.length === 0) throw new InputError('USAGE', 'name the LOTL and national list files to import');
  const parsed: ParsedList[] = [];
  for (const file of files) {
    const bytes = await readFile(file).catch((err: unknown) => {
      throw new InputError('INPUT_UNREADABLE', `${file}: ${errorMessage(err)}`, { cause: err });
    });
    try {
      parsed.push(parseRaw({ bytes, source: pathToFileURL(resolve(file)).href, fetchedAt: now }));
    } catch (err) {
      throw new InputError('TL_MALFORMED', `${file}: ${errorMessage(err)}`, { cause: err });
    }
  }
  const lotls = parsed.filter((p) => p.list.kind === 'lotl');
  return ingest(home, { lotls, nationals: parsed.filter((p) => p.list.kind === 'tl') }, now, DEFAULT_MAX_PIVOTS);
}

export type RefreshFailure = { readonly territory: string | null; readonly url: string; readonly reason: string };
export type RefreshResult = {
  readonly lists: readonly IngestOutcome[];
  readonly failures: readonly RefreshFailure[];
  readonly fetchedBytes: number;
};

/** Fetches the LOTL, the pivots it names and every national list it points to, then takes them in like an import.
 * A national list that cannot be fetched or read is a failure in the result; its cached copy stays. */
export async function tlRefresh(
  home: string,
  opts: { lotlUrl?: string; caps?: Partial<TlFetchCaps>; now?: Date } = {},
): Promise<RefreshResult> {
  const caps = { ...DEFAULT_FETCH_CAPS, ...opts.caps };
  const budget = new FetchBudget(caps);
  const lotlUrl = opts.lotlUrl ?? EU_LOTL_URL;
  const now = opts.now ?? new Date();
  const failures: RefreshFailure[] = [];
  const lotl = parseRaw({ bytes: await budget.get(lotlUrl), source: lotlUrl, fetchedAt: now });
  if (lotl.list.kind !== 'lotl') throw new CoreError('TL_MALFORMED', `${lotlUrl} is not a list of trusted lists`);
  const fetchOne = async (territory: string | null, url: string): Promise<ParsedList | null> => {
    try {
      return parseRaw({ bytes: await budget.get(url), source: url, fetchedAt: new Date() });
    } catch (err) {
      failures.push({ territory, url, reason: errorMessage(err) });
      return null;
    }
  };
  const pivots: ParsedList[] = [];
  lotl.list.pivots
    .slice(caps.maxPivots)
    .forEach((url) =>
      failures.push({ territory: 'EU', url, reason: `not fetched: over the cap of ${caps.maxPivots} pivots` }),
    );
  const cachedPivots = new Set((await readIndex(home))?.lists.filter((e) => e.kind === 'pivot').map((e) => e.url));
  for (const url of lotl.list.pivots.slice(0, caps.maxPivots)) {
    if (cachedPivots.has(url)) continue; // a pivot never changes: the cached copy is used
    const p = await fetchOne('EU', url);
    if (p) pivots.push(p);
  }
  const nationals: ParsedList[] = [];
  const pointers = lotl.list.pointers.filter((p) => p.mimeType === TSL_MIME && p.territory !== lotl.list.territory);
  for (const pointer of pointers) {
    const p = await fetchOne(pointer.territory, pointer.location);
    if (!p) continue;
    if (p.list.kind !== 'tl' || p.list.territory !== pointer.territory) {
      const what = `${p.list.kind === 'lotl' ? 'a LOTL' : `the list of ${p.list.territory}`}`;
      failures.push({ territory: pointer.territory, url: pointer.location, reason: `it is ${what}, not that list` });
    } else nationals.push(p);
  }
  const lists = await ingest(home, { lotls: [lotl, ...pivots], nationals }, now, caps.maxPivots);
  return { lists, failures, fetchedBytes: budget.fetchedBytes };
}

/** One row of `tl status` (the issue's JSON shape, plus the reason, the stale flag and, for the LOTL, the anchors). */
export type TlStatusRow = {
  readonly territory: string;
  readonly sequenceNumber: number;
  readonly issued: string;
  readonly nextUpdate: string | null;
  readonly signature: TlSignature;
  readonly signedBy: string | null;
  readonly source: string;
  readonly fetchedAt: string;
  readonly reason: string | null;
  /** The next update has passed: the list may no longer say what its territory says today. */
  readonly stale: boolean;
  readonly anchorCount?: number;
  readonly refused?: { readonly url: string; readonly fetchedAt: string; readonly reason: string | null };
};

export async function tlStatus(home: string, now = new Date()): Promise<TlStatusRow[]> {
  const index = await readIndex(home);
  const anchorCount = (await allAnchors(home)).length;
  const rows = (index?.lists ?? []).filter((e) => e.kind !== 'pivot');
  rows.sort((a, b) => (a.kind === b.kind ? a.territory.localeCompare(b.territory) : a.kind === 'lotl' ? -1 : 1));
  return rows.map((e) => ({
    territory: e.territory,
    sequenceNumber: e.sequenceNumber,
    issued: e.issued,
    nextUpdate: e.nextUpdate,
    signature: e.signature,
    signedBy: e.signedBy,
    source: e.url,
    fetchedAt: e.fetchedAt,
    reason: e.reason,
    stale: e.nextUpdate !== null && Date.parse(e.nextUpdate) < now.getTime(),
    ...(e.kind === 'lotl' ? { anchorCount } : {}),
    ...(e.refused ? { refused: { url: e.refused.url, fetchedAt: e.refused.fetchedAt, reason: e.refused.reason } } : {}),
  }));
}

export type TlAnchorRow = Omit<AnchorSource, 'der'> & { readonly notAfter: string };

export async function tlAnchors(home: string): Promise<TlAnchorRow[]> {
  return (await allAnchors(home)).map(({ der, ...a }) => ({ ...a, notAfter: notAfterOf(der) }));
}

/** Adds a LOTL signing certificate once the caller confirmed its SHA-256 fingerprint; then re-checks the cached lists
 * (a re-anchoring may make the LOTL, and through it the national lists, verify). */
export async function tlAddAnchor(
  home: string,
  der: Uint8Array,
  confirmedSha256: string,
  now = new Date(),
): Promise<{ added: boolean; anchor: TlAnchorRow; lists: IngestOutcome[] }> {
  const a = describe(der);
  if (confirmedSha256.replace(/[:\s]/g, '').toLowerCase() !== a.sha256) {
    throw new InputError('USAGE', `the fingerprint given does not match ${a.subject} (SHA-256 ${a.sha256})`);
  }
  const added = await addUserAnchor(home, der, now);
  const lists = (await readIndex(home))
    ? await ingest(home, { lotls: [], nationals: [] }, now, DEFAULT_MAX_PIVOTS)
    : [];
  const anchor = {
    sha256: a.sha256,
    subject: a.subject,
    source: 'user' as const,
    addedAt: now.toISOString(),
    notAfter: notAfterOf(der),
  };
  return { added, anchor, lists };
}

const notAfterOf = (der: Uint8Array): string => certificateFacts(der).notAfter.toISOString();
