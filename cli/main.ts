// The `sealdesk` command: routes a sub-command to its handler and turns every failure into an exit code.
import { UsageError } from '../core/errors.js';
import { historyCommand } from './commands/history.js';
import { inspectCommand } from './commands/inspect.js';
import { lookupCommand } from './commands/lookup.js';
import { queueCommand } from './commands/queue.js';
import { stampCommand } from './commands/stamp.js';
import { tsaCommand } from './commands/tsa.js';
import { verifyCommand } from './commands/verify.js';
import { sealCommand } from './commands/seal.js';
import { operationsCommand } from './commands/operations.js';
import { tokensCommand } from './commands/tokens.js';
import { certCommand } from './commands/cert.js';
import { trustCommand } from './commands/trust.js';
import { chainCommand } from './commands/chain.js';
import { restampCommand } from './commands/restamp.js';
import { ledgerCommand } from './commands/ledger.js';
import { importCommand } from './commands/import.js';
import { exitFor, type ExitCode } from './exit.js';
import type { CliIo } from './io.js';
import { errorJson, printError, printJson } from './output.js';
import { USAGE, VERSION } from './usage.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<ExitCode>;

const COMMANDS: Record<string, Command> = {
  stamp: stampCommand,
  inspect: inspectCommand,
  verify: verifyCommand,
  lookup: lookupCommand,
  history: historyCommand,
  tsa: tsaCommand,
  queue: queueCommand,
  seal: sealCommand,
  operations: operationsCommand,
  tokens: tokensCommand,
  cert: certCommand,
  trust: trustCommand,
  restamp: restampCommand,
  chain: chainCommand,
  ledger: ledgerCommand,
  import: importCommand,
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
    return await command(rest, io);
  } catch (err) {
    printError(io, err);
    if (rest.includes('--json')) printJson(io, errorJson(err));
    return exitFor(err);
  }
}
