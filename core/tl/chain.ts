// Which trusted lists to believe: the LOTL against the OJ anchors (directly, or through its pivots, each pivot checked
// against the certificates the one before it announced), then each national list against the certificates of its LOTL
// pointer. A list that fails is kept and marked with the reason; nothing here ever falls back to "no anchors".
import { createHash } from 'node:crypto';
import type { Document } from '@xmldom/xmldom';
import type { TlSignature, TrustedList } from './model.js';
import { parseTrustedList } from './parse.js';
import { verifyListSignature } from './signature.js';
import { parseXml } from './xml.js';

/** One list's bytes and where they came from. */
export type RawList = { readonly bytes: Uint8Array; readonly source: string; readonly fetchedAt: Date };

export type ParsedList = RawList & { readonly sha256: string; readonly doc: Document; readonly list: TrustedList };

export type Verdict = {
  readonly signature: TlSignature;
  readonly signedBy: string | null;
  readonly reason: string | null;
};

/** A LOTL verdict plus the certificates the accepted LOTL announces for its own next versions. */
export type LotlVerdict = Verdict & { readonly path: readonly string[] };

export const DEFAULT_MAX_PIVOTS = 10;

export function parseRaw(raw: RawList): ParsedList {
  const doc = parseXml(raw.bytes);
  const sha256 = createHash('sha256').update(raw.bytes).digest('hex');
  return { ...raw, sha256, doc, list: parseTrustedList(doc) };
}

/** The LOTL signing certificates a LOTL announces in its pointer to itself (territory EU). */
export function announcedSigners(lotl: TrustedList): Uint8Array[] {
  return lotl.pointers.filter((p) => p.territory === lotl.territory).flatMap((p) => [...p.signingCertificates]);
}

type Checked = Verdict & { readonly signer: Uint8Array | null };

async function check(doc: Document, allowed: readonly Uint8Array[]): Promise<Checked> {
  if (allowed.length === 0) {
    return { signature: 'unverified', signedBy: null, reason: 'no certificate to check it with', signer: null };
  }
  const r = await verifyListSignature(doc, allowed);
  return { signature: r.status, signedBy: r.signedBy, reason: r.reason, signer: r.signer };
}

const verdict = ({ signature, signedBy, reason }: Verdict): Verdict => ({ signature, signedBy, reason });
const sameDer = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** The pivot document a LOTL names by URL: the one fetched from that URL, or the LOTL whose sequence number the
 * URL carries (eu-lotl-pivot-300.xml), as when the lists were imported from files. */
export function findPivot(url: string, candidates: readonly ParsedList[]): ParsedList | undefined {
  const bySource = candidates.find((c) => c.source === url);
  if (bySource) return bySource;
  const seq = /pivot[-_]?(\d+)/i.exec(url)?.[1];
  return seq === undefined ? undefined : candidates.find((c) => c.list.sequenceNumber === Number(seq));
}

/**
 * Accepts the LOTL when its signature verifies against the anchors (a re-anchoring by a new OJ publication is just
 * that: the user added its certificates), else walks its pivots from the oldest named one to the newest.
 */
export async function acceptLotl(
  lotl: ParsedList,
  pivots: readonly ParsedList[],
  anchors: readonly Uint8Array[],
  maxPivots = DEFAULT_MAX_PIVOTS,
): Promise<LotlVerdict> {
  const direct = await check(lotl.doc, anchors);
  if (direct.signature === 'valid') return { ...verdict(direct), path: [] };
  const named = lotl.list.pivots;
  const fail = (signature: TlSignature, reason: string, path: readonly string[] = []): LotlVerdict => ({
    signature,
    signedBy: direct.signedBy,
    reason,
    path,
  });
  if (named.length === 0) return fail(direct.signature, `against the ${anchors.length} OJ anchors: ${direct.reason}`);
  if (named.length > maxPivots)
    return fail('unverified', `it names ${named.length} pivots, over the cap of ${maxPivots}`);
  let allowed: readonly Uint8Array[] = anchors;
  const path: string[] = [];
  for (const url of [...named].reverse()) {
    const pivot = findPivot(url, pivots);
    if (!pivot) return fail('unverified', `pivot ${url} is not available`, path);
    let v = await check(pivot.doc, allowed);
    if (v.signature !== 'valid' && allowed !== anchors) v = await check(pivot.doc, anchors);
    if (v.signature !== 'valid') {
      const why = `pivot ${pivot.list.sequenceNumber} (${url}) does not verify: ${v.reason}`;
      return { ...verdict(v), reason: why, path };
    }
    path.push(url);
    allowed = announcedSigners(pivot.list);
  }
  // The first check already found the key that signed the LOTL (when its signature holds): is it now announced?
  if (direct.signer !== null) {
    const signer = direct.signer;
    if (allowed.some((c) => sameDer(c, signer)))
      return { signature: 'valid', signedBy: direct.signedBy, reason: null, path };
    return fail(
      'invalid',
      `after pivots ${path.join(', ')}: signed by ${direct.signedBy}, not a key they announce`,
      path,
    );
  }
  return fail(direct.signature, `${direct.reason} (after pivots ${path.join(', ')})`, path);
}

/** A national list against the certificates its (accepted) LOTL's pointer for that territory names. */
export async function acceptNational(
  tl: ParsedList,
  lotl: { readonly list: TrustedList; readonly verdict: Verdict } | null,
): Promise<Verdict> {
  const territory = tl.list.territory;
  if (!lotl)
    return unverified(`no LOTL is loaded, so nothing names the certificates that may sign ${territory}'s list`);
  const certs = lotl.list.pointers.filter((p) => p.territory === territory).flatMap((p) => [...p.signingCertificates]);
  if (certs.length === 0) return unverified(`the LOTL has no pointer for territory ${territory}`);
  const v = verdict(await check(tl.doc, certs));
  if (v.signature !== 'valid') {
    return {
      ...v,
      reason: `against the ${certs.length} certificates of the LOTL pointer for ${territory}: ${v.reason}`,
    };
  }
  if (lotl.verdict.signature !== 'valid') {
    return { ...v, signature: 'unverified', reason: `its LOTL is ${lotl.verdict.signature}: ${lotl.verdict.reason}` };
  }
  return v;
}

const unverified = (reason: string): Verdict => ({ signature: 'unverified', signedBy: null, reason });
