// Taking new lists into the cache (from files or a refresh) and re-checking what is there: the LOTL chain first, then
// every national list against the accepted LOTL. A new copy whose signature fails never replaces a good cached one
// (the last good copy is kept and the refused one recorded); without a good copy the failing one is kept, marked.
import type { LoadedList } from './model.js';
import { acceptLotl, acceptNational, findPivot, parseRaw, type ParsedList, type Verdict } from './chain.js';
import {
  allAnchors,
  pruneRaw,
  readIndex,
  readRaw,
  storeRaw,
  writeState,
  type IndexEntry,
  type TlIndex,
} from './store.js';

export type IngestInput = { readonly lotls: readonly ParsedList[]; readonly nationals: readonly ParsedList[] };

/** What became of one list of the input (or of the cache, re-checked). */
export type IngestOutcome = {
  readonly kind: 'lotl' | 'tl';
  readonly territory: string;
  readonly sequenceNumber: number;
  readonly source: string;
  readonly signature: Verdict['signature'];
  readonly reason: string | null;
  /** 'stored': this copy is now the cached one; 'kept-last-good': it failed and the earlier good copy stays. */
  readonly outcome: 'stored' | 'kept-last-good' | 'rechecked';
};

type Checked = { readonly parsed: ParsedList; readonly verdict: Verdict; readonly refused?: IndexEntry['refused'] };

async function cachedParsed(home: string, e: IndexEntry): Promise<ParsedList> {
  const bytes = await readRaw(home, e.sha256);
  return parseRaw({ bytes, source: e.url, fetchedAt: new Date(e.fetchedAt) });
}

const refusal = (p: ParsedList, v: Verdict): IndexEntry['refused'] => ({
  sha256: p.sha256,
  url: p.source,
  fetchedAt: p.fetchedAt.toISOString(),
  signature: v.signature,
  reason: v.reason,
});

/** Newer copy first; a failing newer copy falls back to the older one when that one still verifies. */
async function pick(
  fresh: ParsedList | undefined,
  old: ParsedList | undefined,
  verify: (p: ParsedList) => Promise<Verdict>,
  out: IngestOutcome[],
): Promise<Checked | null> {
  const record = (p: ParsedList, v: Verdict, outcome: IngestOutcome['outcome']) =>
    out.push({
      kind: p.list.kind,
      territory: p.list.territory,
      sequenceNumber: p.list.sequenceNumber,
      source: p.source,
      signature: v.signature,
      reason: v.reason,
      outcome,
    });
  if (fresh && old && fresh.list.sequenceNumber < old.list.sequenceNumber) {
    // An older list than the cached one (a replay, or an earlier download) never replaces it, however well signed.
    const reason = `sequence number ${fresh.list.sequenceNumber} is older than the cached ${old.list.sequenceNumber}`;
    const v: Verdict = { signature: 'unverified', signedBy: null, reason };
    record(fresh, v, 'kept-last-good');
    return { parsed: old, verdict: await verify(old), refused: refusal(fresh, v) };
  }
  if (fresh) {
    const v = await verify(fresh);
    if (v.signature !== 'valid' && old) {
      const vOld = await verify(old);
      if (vOld.signature === 'valid') {
        record(fresh, v, 'kept-last-good');
        return { parsed: old, verdict: vOld, refused: refusal(fresh, v) };
      }
    }
    record(fresh, v, 'stored');
    return { parsed: fresh, verdict: v };
  }
  if (!old) return null;
  const v = await verify(old);
  record(old, v, 'rechecked');
  return { parsed: old, verdict: v };
}

function entryOf(kind: IndexEntry['kind'], c: Checked): IndexEntry {
  const { list, source, sha256, fetchedAt } = c.parsed;
  return {
    kind,
    url: source,
    territory: list.territory,
    sequenceNumber: list.sequenceNumber,
    issued: list.issued.toISOString(),
    nextUpdate: list.nextUpdate?.toISOString() ?? null,
    sha256,
    fetchedAt: fetchedAt.toISOString(),
    signature: c.verdict.signature,
    signedBy: c.verdict.signedBy,
    reason: c.verdict.reason,
    ...(c.refused ? { refused: c.refused } : {}),
  };
}

const newest = (lists: readonly ParsedList[]): ParsedList | undefined =>
  [...lists].sort((a, b) => b.list.sequenceNumber - a.list.sequenceNumber)[0];

/** Merges `input` into the cache at `home`, re-checks every list, writes the new index; returns what happened. */
export async function ingest(home: string, input: IngestInput, now: Date, maxPivots: number): Promise<IngestOutcome[]> {
  const index: TlIndex | null = await readIndex(home);
  const cached = await Promise.all((index?.lists ?? []).map((e) => cachedParsed(home, e).then((p) => ({ e, p }))));
  const anchors = (await allAnchors(home)).map((a) => a.der);
  for (const p of [...input.lotls, ...input.nationals]) await storeRaw(home, p.bytes);

  const freshLotl = newest(input.lotls);
  const oldLotl = cached.find((c) => c.e.kind === 'lotl')?.p;
  const pool = [...input.lotls, ...cached.filter((c) => c.e.kind !== 'tl').map((c) => c.p)];
  const out: IngestOutcome[] = [];
  const lotl = await pick(
    freshLotl,
    oldLotl,
    (p) =>
      acceptLotl(
        p,
        pool.filter((x) => x !== p),
        anchors,
        maxPivots,
      ),
    out,
  );

  const entries: IndexEntry[] = [];
  const loaded: LoadedList[] = [];
  const keep = (kind: 'lotl' | 'tl', c: Checked) => {
    entries.push(entryOf(kind, c));
    const { list, source, sha256, fetchedAt } = c.parsed;
    loaded.push({ ...list, source, sha256, fetchedAt, ...c.verdict });
  };
  if (lotl) {
    keep('lotl', lotl);
    for (const url of lotl.parsed.list.pivots.slice(0, maxPivots)) {
      const p = findPivot(
        url,
        pool.filter((x) => x !== lotl.parsed),
      );
      if (p) entries.push(entryOf('pivot', { parsed: { ...p, source: url }, verdict: pivotVerdict }));
    }
  }
  const ctx = lotl ? { list: lotl.parsed.list, verdict: lotl.verdict } : null;
  const territories = new Set(
    [...input.nationals, ...cached.filter((c) => c.e.kind === 'tl').map((c) => c.p)].map((p) => p.list.territory),
  );
  for (const t of [...territories].sort()) {
    const fresh = newest(input.nationals.filter((p) => p.list.territory === t));
    const old = cached.find((c) => c.e.kind === 'tl' && c.p.list.territory === t)?.p;
    const chosen = await pick(fresh, old, (p) => acceptNational(p, ctx), out);
    if (chosen) keep('tl', chosen);
  }
  const next: TlIndex = { version: 1, updatedAt: now.toISOString(), lists: entries };
  await writeState(home, next, loaded);
  await pruneRaw(home, next);
  return out;
}

/** A pivot is kept for the chain only; its own verdict is part of the LOTL's. */
const pivotVerdict: Verdict = {
  signature: 'unverified',
  signedBy: null,
  reason: 'a pivot: checked as part of the LOTL',
};
