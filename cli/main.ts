// The `sealdesk` command: routes a sub-command to its handler and turns every failure into an exit code.
import { UsageError } from '../core/errors.js';
import { exitFor, type ExitCode } from './exit.js';
import type { CliIo } from './io.js';
import { errorJson, printError, printJson } from './output.js';
import { USAGE, VERSION } from './usage.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<ExitCode>;

/** Each command's module is loaded when it runs: `sealdesk stamp` never parses the PDF or PKCS#11 code. */
const COMMANDS: Record<string, () => Promise<Command>> = {
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
};

export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    io.stdout(`sealdesk ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}" (try \`sealdesk help\`)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(USAGE);
      return 0;
    }
    return await (await command())(rest, io);
  } catch (err) {
    printError(io, err);
    if (rest.includes('--json')) printJson(io, errorJson(err));
    return exitFor(err);
  }
}
