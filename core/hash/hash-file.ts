// Streaming file digests in constant memory: one read loop into a reused buffer feeds every hash.
import type { Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { DigestAlgorithm } from '../asn1/oids.js';
import { createDigest } from './digest.js';
import { InputError } from '../errors.js';

const CHUNK = 1024 * 1024;

export type FileDigests<A extends DigestAlgorithm> = { readonly size: number; readonly digests: Record<A, Uint8Array> };

export type HashProgress = (bytesDone: number) => void;

/** Hashes `path` once with every algorithm in `algs`. Throws InputError when it cannot be read. */
export async function hashFile<A extends DigestAlgorithm>(
  path: string,
  algs: readonly A[],
  onProgress?: HashProgress,
): Promise<FileDigests<A>> {
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new InputError('INPUT_UNREADABLE', `cannot read ${path}: ${describeFsError(err)}`, { cause: err });
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new InputError('INPUT_UNREADABLE', `${path} is not a regular file`);
    const hashes = algs.map((a) => createDigest(a));
    // Two reused buffers: the next read runs in the thread pool while this thread hashes the current chunk.
    const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let current = 0;
    let pending = handle.read(buffers[0]!, 0, CHUNK, null);
    let size = 0;
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const chunk = buffers[current]!.subarray(0, bytesRead);
      current ^= 1;
      pending = handle.read(buffers[current]!, 0, CHUNK, null);
      for (const h of hashes) h.update(chunk);
      size += bytesRead;
      onProgress?.(size);
    }
    return { size, digests: collect(algs, hashes) };
  } finally {
    await handle.close();
  }
}

export function hashBytes(alg: DigestAlgorithm, data: Uint8Array): Uint8Array {
  return new Uint8Array(createDigest(alg).update(data).digest());
}

function collect<A extends DigestAlgorithm>(algs: readonly A[], hashes: Hash[]): Record<A, Uint8Array> {
  const out = {} as Record<A, Uint8Array>;
  algs.forEach((a, i) => {
    out[a] = new Uint8Array(hashes[i]!.digest());
  });
  return out;
}

export function describeFsError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    default:
      return err.message;
  }
}
