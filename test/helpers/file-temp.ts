// Temporary folders that outlive the call that makes them (an NSS database, a revocation responder's files) and are
// removed when the test file ends: by an afterAll registered as this module loads with the test file, or, when a
// test loaded it with import(), when that test ends. Outside vitest (the benchmarks) they go at process exit.
import { tempDir } from './tmp.js';

const vitest = process.env.VITEST ? await import('vitest') : null;
const pending = new Map<string, () => void>();
const removeAll = (): void => {
  for (const remove of pending.values()) remove();
  pending.clear();
};

/** Whether a test is running now: hooks registered then are ignored, so dirs go with that test instead. */
function inTest(): boolean {
  try {
    vitest!.onTestFinished(() => undefined);
    return true;
  } catch {
    return false;
  }
}

const loadedInTest = vitest !== null && inTest();
if (vitest && !loadedInTest) vitest.afterAll(removeAll);
else process.once('exit', removeAll);

/** A fresh folder `sealdesk-<prefix>-*` under the OS temp folder, removed as the header says. */
export function fileTempDir(prefix: string): string {
  const dir = tempDir(prefix);
  if (loadedInTest && inTest()) vitest!.onTestFinished(dir.remove);
  else pending.set(dir.path, dir.remove);
  return dir.path;
}
