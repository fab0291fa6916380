// SHA-256 of a 1 GiB file: our streaming hash vs `openssl dgst -sha256` vs a naive Node stream; time and peak RSS.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, openSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile } from '../core/hash/index.js';
import { toHex } from '../core/asn1/bytes.js';

const SIZE = Number(process.env.BENCH_HASH_BYTES ?? 1024 ** 3);
const file = join(process.env.BENCH_WORK ?? '/tmp', `hash-${SIZE}.bin`);

if (!existsSync(file) || statSync(file).size !== SIZE) {
  const fd = openSync(file, 'w');
  const block = randomBytes(16 * 1024 * 1024);
  for (let done = 0; done < SIZE; done += block.length) writeSync(fd, block, 0, Math.min(block.length, SIZE - done));
  closeSync(fd);
}

/** Runs `fn` in a fresh child so each contender's peak RSS is its own. */
function child(mode: string): { ms: number; rssMb: number; hex: string } {
  const r = spawnSync(process.execPath, [process.argv[1]!, mode], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

async function runMode(mode: string): Promise<void> {
  const t0 = performance.now();
  let hex: string;
  if (mode === 'ours') hex = toHex((await hashFile(file, ['sha256'])).digests.sha256);
  else {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
    hex = h.digest('hex');
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, hex }));
}

function openssl(): { ms: number; hex: string } {
  const t0 = performance.now();
  const r = spawnSync('openssl', ['dgst', '-sha256', '-r', file], { encoding: 'utf8' });
  return { ms: performance.now() - t0, hex: r.stdout.split(' ')[0]! };
}

const mode = process.argv[2];
if (mode) await runMode(mode);
else {
  openssl(); // warm the page cache
  const ref = openssl();
  const ours = child('ours');
  const naive = child('naive');
  if (ours.hex !== ref.hex || naive.hex !== ref.hex) throw new Error('digests disagree');
  const mb = SIZE / 1024 ** 2;
  console.log(`file: ${mb} MiB (page cache warm)`);
  console.log(`openssl dgst -sha256   ${ref.ms.toFixed(0).padStart(6)} ms  ${(mb / (ref.ms / 1000)).toFixed(0)} MiB/s`);
  console.log(
    `sealdesk hashFile      ${ours.ms.toFixed(0).padStart(6)} ms  ${(mb / (ours.ms / 1000)).toFixed(0)} MiB/s  ` +
      `peak RSS ${ours.rssMb.toFixed(0)} MB (goal < 64)`,
  );
  console.log(
    `naive createReadStream ${naive.ms.toFixed(0).padStart(6)} ms  ${(mb / (naive.ms / 1000)).toFixed(0)} MiB/s  peak RSS ${naive.rssMb.toFixed(0)} MB`,
  );
  console.log(
    `ratio ours/openssl time: ${(ours.ms / ref.ms).toFixed(2)}× (goal ≤ 1.0)   naive/ours: ${(naive.ms / ours.ms).toFixed(2)}×`,
  );
}
