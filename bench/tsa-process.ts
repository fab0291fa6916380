// Starts bench/tsa-child in a separate process and hands back its URL.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** CPU seconds a process and its waited-for children (the `openssl ts -reply` runs) used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return fields.slice(11, 15).reduce((n, f) => n + Number(f), 0) / 100; // utime stime cutime cstime, in USER_HZ ticks
}

export async function startTsaProcess(
  dir: string,
): Promise<{ url: string; caFile: string; cpuSeconds(): number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./tsa-child.mjs', import.meta.url)), dir], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.on('exit', (code) => reject(new Error(`TSA process exited with ${code}`)));
  });
  const { url, caFile } = JSON.parse(line) as { url: string; caFile: string };
  return {
    url,
    caFile,
    cpuSeconds: () => cpuSeconds(child.pid!),
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
