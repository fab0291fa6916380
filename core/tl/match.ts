// Which trusted-list services list a certificate or one of its issuers (ETSI TS 119 612 §5.5.3 ServiceDigitalIdentity):
// a snapshot's services indexed once by certificate (SHA-256 of the DER), by subject (exact DER), by subject key
// identifier and by public key, so each question is a few map lookups; an issuer match is confirmed by checking the
// certificate's signature with the listed key. The list each service came from travels with it.
import { TlvError } from '../asn1/tlv.js';
import { signatureValueValid } from '../cms/signature-value.js';
import { verifyParams } from '../cms/signature-algorithms.js';
import { pathCertificate, type PathCertificate } from '../validation/path-certificate.js';
import type { LoadedList, TlService, TlSnapshot } from './model.js';

/** One listed certificate of one service, with the service and its list. */
export type TlEntry = {
  readonly service: TlService;
  readonly list: LoadedList;
  readonly cert: PathCertificate;
};

/** How a certificate met a service: it is the listed certificate, or a listed certificate issued it (`depth` up). */
export type TlMatch = TlEntry & { readonly via: 'certificate' | 'issuer'; readonly depth: number };

export type TlIndex = {
  readonly snapshot: TlSnapshot;
  readonly entries: readonly TlEntry[];
  readonly byHash: ReadonlyMap<string, readonly TlEntry[]>;
  readonly bySubject: ReadonlyMap<string, readonly TlEntry[]>;
  readonly bySki: ReadonlyMap<string, readonly TlEntry[]>;
  readonly byKey: ReadonlyMap<string, readonly TlEntry[]>;
};

/** Issuers followed up from a certificate through the given intermediates before giving up. */
export const MAX_UP = 6;

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

function push(map: Map<string, TlEntry[]>, key: string, e: TlEntry): void {
  const list = map.get(key);
  if (list) list.push(e);
  else map.set(key, [e]);
}

export function indexSnapshot(snapshot: TlSnapshot): TlIndex {
  const byHash = new Map<string, TlEntry[]>();
  const bySubject = new Map<string, TlEntry[]>();
  const bySki = new Map<string, TlEntry[]>();
  const byKey = new Map<string, TlEntry[]>();
  const entries: TlEntry[] = [];
  for (const list of snapshot.lists) {
    for (const service of list.services) {
      for (const der of service.certificates) {
        let cert: PathCertificate;
        try {
          cert = pathCertificate(der);
        } catch (err) {
          if (err instanceof TlvError) continue; // a listed blob that is no certificate identifies nothing
          throw err;
        }
        const e = { service, list, cert };
        entries.push(e);
        push(byHash, cert.hash, e);
        push(bySubject, hex(cert.subject), e);
        if (cert.subjectKeyId) push(bySki, hex(cert.subjectKeyId), e);
        push(byKey, cert.keyHash, e);
      }
    }
  }
  return { snapshot, entries, byHash, bySubject, bySki, byKey };
}

/** Entries whose listed certificate is `c` itself: the same DER, or the same subject and public key. */
function listing(index: TlIndex, c: PathCertificate): TlEntry[] {
  const same = index.byHash.get(c.hash) ?? [];
  const sameKey = (index.byKey.get(c.keyHash) ?? []).filter(
    (e) => !same.includes(e) && hex(e.cert.subject) === hex(c.subject),
  );
  return [...same, ...sameKey];
}

/** Entries whose listed certificate's key signed `c` (found by the issuer name or by AKI = SKI). */
function issuing(index: TlIndex, c: PathCertificate): TlEntry[] {
  const named = index.bySubject.get(hex(c.issuer)) ?? [];
  const byId = c.authorityKeyId ? (index.bySki.get(hex(c.authorityKeyId)) ?? []) : [];
  const candidates = [...new Set([...named, ...byId])];
  return candidates.filter((e) => signedBy(c, e.cert.der));
}

function signedBy(child: PathCertificate, issuerDer: Uint8Array): boolean {
  const params = verifyParams(child.signatureAlgorithm);
  if (!params) return false;
  const data = child.tbs;
  const sig = { certificate: issuerDer, signatureAlgorithm: child.signatureAlgorithm, digest: params.hash ?? '' };
  return signatureValueValid({ ...sig, data, signature: child.signature }, params);
}

/** The issuer of `c` among `pool`, by name (or AKI) and signature, or null. */
function issuerIn(c: PathCertificate, pool: readonly PathCertificate[]): PathCertificate | null {
  if (hex(c.subject) === hex(c.issuer) && signedBy(c, c.der)) return null; // self-signed: the top
  return (
    pool.find(
      (p) =>
        p.hash !== c.hash &&
        (hex(p.subject) === hex(c.issuer) ||
          (c.authorityKeyId !== null && p.subjectKeyId !== null && hex(p.subjectKeyId) === hex(c.authorityKeyId))) &&
        signedBy(c, p.der),
    ) ?? null
  );
}

function readAll(ders: readonly Uint8Array[]): PathCertificate[] {
  const out: PathCertificate[] = [];
  for (const der of ders.slice(0, 64)) {
    try {
      out.push(pathCertificate(der));
    } catch (err) {
      if (!(err instanceof TlvError)) throw err;
    }
  }
  return out;
}

/**
 * Services that list `der` or a certificate above it: walking up from `der` through `intermediates` (at most MAX_UP
 * steps), the first certificate that is listed, or whose issuer is listed, gives the matches (all services at that
 * step, any type). `types` keeps only services of those types.
 */
export function servicesFor(
  index: TlIndex,
  der: Uint8Array,
  intermediates: readonly Uint8Array[] = [],
  types?: readonly string[],
): TlMatch[] {
  let c: PathCertificate;
  try {
    c = pathCertificate(der);
  } catch (err) {
    if (err instanceof TlvError) return [];
    throw err;
  }
  const pool = readAll(intermediates);
  const keep = (e: TlEntry) => !types || types.includes(e.service.type);
  for (let depth = 0; depth < MAX_UP; depth++) {
    const found: TlMatch[] = [
      ...listing(index, c)
        .filter(keep)
        .map((e) => ({ ...e, via: 'certificate' as const, depth })),
      ...issuing(index, c)
        .filter(keep)
        .map((e) => ({ ...e, via: 'issuer' as const, depth })),
    ];
    if (found.length) return found;
    const up = issuerIn(c, pool);
    if (!up) return [];
    c = up;
  }
  return [];
}
