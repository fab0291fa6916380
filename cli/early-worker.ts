// Which command lines read untrusted files in the isolated verifier (core/verify-isolated), so that its worker can be
// started before the command's code loads, and with the heap the job will ask for (`--max-heap-mb`). Import-free: the
// built entry (cli/sealdesk.ts) asks it before it loads the application bundle.

const ISOLATED = new Set(['verify', 'inspect']);

/** The worker's limits for `argv` (command first), or null when the command starts none. */
export function earlyWorker(argv: readonly string[]): { maxHeapMb?: number } | null {
  const [name, ...rest] = argv;
  if (name === undefined || !ISOLATED.has(name) || rest.includes('--help') || rest.includes('-h')) return null;
  const at = rest.findIndex((a) => a === '--max-heap-mb' || a.startsWith('--max-heap-mb='));
  if (at < 0) return {};
  const value = Number(rest[at]!.includes('=') ? rest[at]!.split('=')[1] : rest[at + 1]);
  // A bad value is the command's usage error; a worker started with the default would go unused.
  return Number.isInteger(value) && value >= 1 ? { maxHeapMb: value } : null;
}
