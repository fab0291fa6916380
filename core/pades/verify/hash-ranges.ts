// The digests of a signature's byte ranges, streamed from the file in one pass for every algorithm asked.
import { open } from 'node:fs/promises';
import { createDigest } from '../../hash/digest.js';

const CHUNK = 1024 * 1024;

export async function hashRanges(
  path: string,
  byteRange: readonly number[],
  algs: readonly string[],
): Promise<Map<string, Uint8Array>> {
  const hashes = new Map(algs.map((a) => [a, createDigest(a)]));
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let i = 0; i + 1 < byteRange.length; i += 2) {
      let pos = byteRange[i]!;
      const end = pos + byteRange[i + 1]!;
      while (pos < end) {
        const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK, end - pos), pos);
        if (bytesRead === 0) break;
        for (const h of hashes.values()) h.update(buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
    }
  } finally {
    await handle.close();
  }
  return new Map([...hashes].map(([a, h]) => [a, new Uint8Array(h.digest())]));
}

/** A per-signature digest function that hashes the file once per algorithm and remembers the result. */
export function rangeDigester(path: string, byteRange: readonly number[]): (alg: string) => Promise<Uint8Array> {
  const done = new Map<string, Promise<Uint8Array>>();
  return (alg) => {
    let p = done.get(alg);
    if (!p) done.set(alg, (p = hashRanges(path, byteRange, [alg]).then((m) => m.get(alg)!)));
    return p;
  };
}

/** Feeds the byte ranges' bytes, in order, to `sink` (awaited: the chunk's buffer is reused after it returns). */
export async function feedRanges(
  path: string,
  byteRange: readonly number[],
  sink: (chunk: Uint8Array) => void | Promise<void>,
): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let i = 0; i + 1 < byteRange.length; i += 2) {
      for (let pos = byteRange[i]!, end = pos + byteRange[i + 1]!; pos < end;) {
        const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK, end - pos), pos);
        if (bytesRead === 0) break;
        await sink(buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
    }
  } finally {
    await handle.close();
  }
}
