// The `sealdesk` command: every sub-command, each loaded when it runs (cli/dispatch.ts routes and maps failures).
import { dispatch, type CommandTable } from './dispatch.js';
import type { ExitCode } from './exit.js';
import { processIo, type CliIo } from './io.js';

/** Each command's module is loaded when it runs: `sealdesk stamp` never parses the PDF or PKCS#11 code. */
const COMMANDS: CommandTable = {
  stamp: async () => (await import('./commands/stamp.js')).stampCommand,
  inspect: async () => (await import('./commands/inspect.js')).inspectCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
  lookup: async () => (await import('./commands/lookup.js')).lookupCommand,
  history: async () => (await import('./commands/history.js')).historyCommand,
  tsa: async () => (await import('./commands/tsa.js')).tsaCommand,
  queue: async () => (await import('./commands/queue.js')).queueCommand,
  seal: async () => (await import('./commands/seal.js')).sealCommand,
  operations: async () => (await import('./commands/operations.js')).operationsCommand,
  tokens: async () => (await import('./commands/tokens.js')).tokensCommand,
  cert: async () => (await import('./commands/cert.js')).certCommand,
  trust: async () => (await import('./commands/trust.js')).trustCommand,
  restamp: async () => (await import('./commands/restamp.js')).restampCommand,
  chain: async () => (await import('./commands/chain.js')).chainCommand,
  ledger: async () => (await import('./commands/ledger.js')).ledgerCommand,
  import: async () => (await import('./commands/import.js')).importCommand,
  account: async () => (await import('./commands/account.js')).accountCommand,
  sync: async () => (await import('./commands/sync.js')).syncCommand,
  label: async () => (await import('./commands/label.js')).labelCommand,
  tl: async () => (await import('./commands/tl.js')).tlCommand,
};

export function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  return dispatch(COMMANDS, argv, io);
}

/** The built CLI's entry point (cli/sealdesk.ts loads it from the bundle). */
export function runCli(argv: readonly string[]): Promise<ExitCode> {
  return main(argv, processIo());
}

/** Every command `main` runs (each has a help page: test/unit/cli/help.test.ts). */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);
