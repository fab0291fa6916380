// The help screens: the overview grouped by task (`sealdesk --help`), one command's page (`sealdesk <command> --help`,
// `sealdesk help <command>`), and "did you mean" for a mistyped command, action or option. Import-free on purpose:
// the built entry answers --help from this module alone.
import { ARCHIVE, SETTINGS } from './archive-settings.js';
import { STAMP_SEAL_VERIFY } from './stamp-seal-verify.js';
import { SYNC } from './sync.js';
import { TRUSTED_LISTS } from './trusted-lists.js';
import type { CommandHelp, Group } from './types.js';

export const VERSION = '0.1.0';

export const COMMAND_HELP: readonly CommandHelp[] = [
  ...STAMP_SEAL_VERIFY,
  ...TRUSTED_LISTS,
  ...ARCHIVE,
  ...SYNC,
  ...SETTINGS,
];

const GROUPS: readonly (readonly [Group, string])[] = [
  ['stamp', 'Stamp (RFC 3161 time-stamps)'],
  ['seal', 'Seal (PAdES inside PDFs, CAdES beside other files)'],
  ['verify', 'Verify'],
  ['archive', 'Archive (the ledger of every stamp and seal made here)'],
  ['sync', 'Sync (one record with the remote API when online)'],
  ['settings', 'Settings'],
];

export function commandHelp(name: string): CommandHelp | undefined {
  return COMMAND_HELP.find((c) => c.name === name);
}

export function overview(): string {
  const lines = [
    `sealdesk ${VERSION} - timestamp and seal files, offline first (RFC 3161, CAdES, PAdES)`,
    '',
    'Usage: sealdesk <command> [options]      sealdesk <command> --help: its options and examples',
  ];
  for (const [group, title] of GROUPS) {
    lines.push('', title);
    for (const c of COMMAND_HELP.filter((h) => h.group === group)) {
      lines.push(`  ${`${c.name} ${c.synopsis[0]}`.trimEnd().padEnd(31)} ${c.synopsis[1]}`);
    }
  }
  lines.push(
    '',
    'Every command takes --json (one JSON value on stdout) and --help.',
    'Exit codes: 0 success (verify: every signature TOTAL-PASSED), 1 verification failed or not passed,',
    '            2 bad usage or unreadable input, 3 all TSAs failed, 4 queued offline.',
    'Data folder: $SEALDESK_HOME, else the per-user app-data folder (shared with the desktop app).',
  );
  return `${lines.join('\n')}\n`;
}

export function renderCommand(c: CommandHelp): string {
  const lines = [`sealdesk ${c.name} - ${c.synopsis[1]}`, '', c.about, '', 'Usage:'];
  for (const u of c.usage) lines.push(`  sealdesk ${u}`);
  if (c.options.length > 0) {
    lines.push('', 'Options:');
    for (const [flag, what] of c.options)
      lines.push(flag.length > 32 ? `  ${flag}\n  ${' '.repeat(33)}${what}` : `  ${flag.padEnd(32)} ${what}`);
  }
  lines.push(`  ${'--json'.padEnd(32)} one JSON value on stdout`, '', 'Examples:');
  for (const e of c.examples) lines.push(`  ${e}`);
  return `${lines.join('\n')}\n`;
}

/** The help a command line asks for, or null when it asks for none. `sealdesk` alone is the overview with exit 2. */
export function helpAnswer(argv: readonly string[]): { readonly text: string; readonly code: 0 | 2 } | null {
  const [name, ...rest] = argv;
  if (name === undefined) return { text: overview(), code: 2 };
  if (name === '--version' || name === '-V' || name === 'version') return { text: `sealdesk ${VERSION}\n`, code: 0 };
  const asked = name === 'help' || name === '--help' || name === '-h' ? rest.find((a) => !a.startsWith('-')) : name;
  if (asked === undefined) return { text: overview(), code: 0 };
  const c = commandHelp(asked);
  if (name !== asked && !c) return null; // `sealdesk help nosuch`: the unknown command's error, from main
  if (c && (name !== asked || rest.includes('--help') || rest.includes('-h')))
    return { text: renderCommand(c), code: 0 };
  return null;
}

/** The candidate closest to `word` when it is a plausible typo (at most one edit per three letters), or the only
 *  candidate `word` begins (3 letters or more); undefined otherwise. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const all = [...candidates];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of all) {
    const d = distance(w, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(w.length / 3))) return best;
  const begun = w.length >= 3 ? all.filter((c) => c.toLowerCase().startsWith(w)) : [];
  return begun.length === 1 ? begun[0] : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
