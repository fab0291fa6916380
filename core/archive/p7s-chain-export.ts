// `chain <cades-operation> --export <folder>`: each link of a detached .p7s chain as its token and exactly the bytes
// its imprint is the hash of — the signature value for the signature time-stamp (RFC 3161 App. A, RFC 5652 §5.3), the
// ETSI EN 319 122-1 §5.5.3 concatenation for each archive-time-stamp-v3 — plus manifest.json, so an auditor checks
// the chain with `openssl ts -verify -token_in` alone.
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toHex } from '../asn1/bytes.js';
import type { HashAlgorithm } from '../asn1/oids.js';
import {
  archiveTimestampEntries,
  atsV3Preimage,
  embeddedTokens,
  signatureValue,
  signedDataLayout,
  type SignedDataLayout,
} from '../cms/archive-timestamp.js';
import { CoreError, InputError, errorMessage } from '../errors.js';
import { writeNewFile } from '../fs/atomic.js';
import { hashBytes, hashFile } from '../hash/hash-file.js';
import type { OperationRecord } from '../ledger/operations.js';
import type { P7sChain, P7sChainLink } from './p7s-chain.js';
import type { ExportedLink } from './pdf-chain-export.js';

/** Where an archive time-stamp's data holds the hash of the content file, and how to see and compare it. */
export type ContentHashAt = {
  readonly algorithm: HashAlgorithm;
  readonly offset: number;
  readonly length: number;
  readonly hex: string;
  readonly show: string;
  readonly compare: string;
};
export type P7sExportedLink = ExportedLink & { readonly contentHash?: ContentHashAt };

/** What the ledger knows of the seal: its content file and the hashes it recorded of it and of the .p7s. */
export type SealedFiles = Pick<OperationRecord, 'filePath' | 'documentSha512' | 'outputSha256'>;

type ContentDigestAt = { readonly algorithm: HashAlgorithm; readonly offset: number; readonly digest: Uint8Array };
type Evidence = {
  readonly kind: P7sChainLink['kind'];
  readonly token: Uint8Array;
  readonly data: Uint8Array;
  readonly covers: string;
  readonly contentHash?: ContentDigestAt;
};

export async function exportP7sChain(chain: P7sChain, sealed: SealedFiles, dir: string): Promise<P7sExportedLink[]> {
  const content = sealed.filePath;
  if (!content)
    throw new CoreError(
      'NOT_FOUND',
      `${chain.path}: the ledger does not know the file this .p7s seals, so what its archive time-stamps cover cannot be exported`,
    );
  const l = signedDataLayout(await recordedP7s(chain.path, sealed.outputSha256));
  const evidence = await p7sEvidence(l, content, sealed.documentSha512);
  if (evidence.map((e) => e.kind).join() !== chain.links.map((k) => k.kind).join())
    throw new CoreError(
      'NOT_FOUND',
      `${chain.path}: its time-stamps cannot be read back for export as the chain lists them`,
    );
  const names = evidence.flatMap((_, i) => [`link-${i + 1}.tst`, `link-${i + 1}.data`]).concat('manifest.json');
  const taken = names.find((n) => existsSync(join(dir, n)));
  if (taken)
    throw new CoreError(
      'OUTPUT_EXISTS',
      `${join(dir, taken)} already exists; Sealdesk never overwrites a file (nothing exported)`,
    );
  mkdirSync(dir, { recursive: true });
  const out: P7sExportedLink[] = [];
  for (const [i, e] of evidence.entries()) {
    const n = i + 1;
    const [token, data] = [`link-${n}.tst`, `link-${n}.data`];
    await writeNewFile(join(dir, token), e.token);
    await writeNewFile(join(dir, data), e.data);
    out.push({
      n,
      token,
      data,
      covers: e.covers,
      ...(e.contentHash ? { contentHash: contentHashAt(e.contentHash, data, content) } : {}),
    });
  }
  const manifest = {
    ...chain,
    content,
    exported: out,
    check: out.map((x) => `openssl ts -verify -token_in -in ${x.token} -data ${x.data} -CAfile <the TSA's CA>.pem`),
  };
  await writeNewFile(join(dir, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  return out;
}

/** The .p7s on disk, which must be the version the ledger recorded last (when it recorded one). */
async function recordedP7s(path: string, sha256: string | null): Promise<Uint8Array> {
  const p7s = new Uint8Array(
    await readFile(path).catch((err: unknown) => {
      throw new CoreError('NOT_FOUND', `${path} cannot be read (${errorMessage(err)}): nothing exported`);
    }),
  );
  if (sha256 && toHex(hashBytes('sha256', p7s)) !== sha256)
    throw new CoreError('OUTPUT_CHANGED', `${path} changed since Sealdesk wrote it: nothing exported`);
  return p7s;
}

/** The signature time-stamp over the signature value, then each archive time-stamp over its §5.5.3 concatenation. */
async function p7sEvidence(l: SignedDataLayout, content: string, documentSha512: string): Promise<Evidence[]> {
  const archives = archiveTimestampEntries(l).map((e) => {
    const alg = e.hashIndex?.algorithm;
    if (!e.hashIndex || !alg)
      throw new CoreError(
        'CMS_MALFORMED',
        `archive time-stamp ${e.n}: ${e.problem ?? `its hash index uses an unknown algorithm ${e.hashIndex?.algorithmOid}`}; what it covers cannot be exported`,
      );
    return { token: e.token, alg, hashIndex: e.hashIndex.der };
  });
  const digests = await contentDigests(
    content,
    archives.map((a) => a.alg),
    documentSha512,
  );
  const sts = embeddedTokens(l).find((t) => t.kind === 'signature');
  return [
    ...(sts
      ? [
          {
            kind: 'signature-timestamp' as const,
            token: sts.token,
            data: signatureValue(l),
            covers: "the SignerInfo's signature value (the content octets of its OCTET STRING)",
          },
        ]
      : []),
    ...archives.map((a) => {
      const parts = atsV3Preimage(l, digests[a.alg], a.hashIndex);
      return {
        kind: 'archive-timestamp' as const,
        token: a.token,
        data: Buffer.concat(parts),
        covers: `ETSI EN 319 122-1 §5.5.3: eContentType ‖ ${a.alg} of the content file ‖ the SignerInfo's version, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature (as encoded in the .p7s) ‖ the ats-hash-index-v3 as encoded in this time-stamp's token`,
        contentHash: { algorithm: a.alg, offset: parts[0]!.length, digest: parts[1]! },
      };
    }),
  ];
}

/** Each algorithm's digest of the content file, which must be the file that was sealed. */
async function contentDigests(
  path: string,
  algs: readonly HashAlgorithm[],
  documentSha512: string,
): Promise<Record<HashAlgorithm, Uint8Array>> {
  const { digests } = await hashFile(path, [...new Set<HashAlgorithm>(['sha512', ...algs])]);
  if (toHex(digests.sha512) !== documentSha512)
    throw new InputError(
      'SIGNATURE_BROKEN',
      `${path} is not the file that was sealed (its SHA-512 differs from the ledger's): nothing exported`,
    );
  return digests;
}

function contentHashAt(h: ContentDigestAt, data: string, content: string): ContentHashAt {
  const length = h.digest.length;
  return {
    algorithm: h.algorithm,
    offset: h.offset,
    length,
    hex: toHex(h.digest),
    show: `od -An -tx1 -v -j ${h.offset} -N ${length} ${data}`,
    compare: `openssl dgst -${h.algorithm} ${shellWord(content)}`,
  };
}

/** A path as one POSIX shell word, quoted only when it needs to be. */
const shellWord = (s: string) => (/^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
