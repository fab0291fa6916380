// The `sealdesk` command: routes a sub-command to its handler and turns every failure into an exit code.
import { UsageError } from '../core/errors.js';
import { prestartWorker } from '../core/verify-isolated/runner.js';
import { earlyWorker } from './early-worker.js';
import { exitFor, type ExitCode } from './exit.js';
import { commandHelp, didYouMean, helpAnswer } from './help/render.js';
import { processIo, type CliIo } from './io.js';
import { errorJson, printError, printJson } from './output.js';

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
  account: async () => (await import('./commands/account.js')).accountCommand,
  sync: async () => (await import('./commands/sync.js')).syncCommand,
  label: async () => (await import('./commands/label.js')).labelCommand,
  tl: async () => (await import('./commands/tl.js')).tlCommand,
};

export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const help = helpAnswer(argv);
  if (help) {
    io.stdout(help.text);
    return help.code;
  }
  const [first, ...more] = argv as [string, ...string[]];
  const asksHelp = first === 'help' || first === '--help' || first === '-h';
  const name = asksHelp ? (more.find((a) => !a.startsWith('-')) ?? first) : first;
  const rest = asksHelp ? [] : more;
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(unknownCommand(name));
    checkAction(name, rest);
    // The isolated verifier's worker starts loading while the command does (the built entry may have started it).
    const early = earlyWorker([name, ...rest]);
    if (early) prestartWorker(early);
    return await (
      await command()
    )(rest, io);
  } catch (err) {
    printError(io, err);
    if (rest.includes('--json')) printJson(io, errorJson(err));
    return exitFor(err);
  }
}

/** The built CLI's entry point (cli/sealdesk.ts loads it from the bundle). */
export function runCli(argv: readonly string[]): Promise<ExitCode> {
  return main(argv, processIo());
}

function unknownCommand(name: string): string {
  const meant = didYouMean(name, Object.keys(COMMANDS));
  return `unknown command "${name}" (${meant ? `did you mean "${meant}"? ` : ''}\`sealdesk help\` lists them)`;
}

/** `sealdesk tsa ad ...`: the actions a command takes are known here, so a typo is named before the command runs. */
function checkAction(name: string, rest: readonly string[]): void {
  const actions = commandHelp(name)?.actions;
  const verb = rest[0];
  if (!actions || verb === undefined || verb.startsWith('-') || actions.includes(verb)) return;
  const meant = didYouMean(verb, actions);
  throw new UsageError(
    `${name}: unknown action "${verb}" (${meant ? `did you mean "${meant}"? ` : ''}${actions.join(', ')})`,
  );
}

/** Every command `main` runs (each has a help page: test/unit/cli/help.test.ts). */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);
