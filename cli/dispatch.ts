// Runs one `sealdesk` command line against a table of commands and turns every failure into an exit code. The full
// table is cli/main.ts; the built CLI also has one bundle per command (scripts/build.mjs), whose table holds only it.
import { UsageError } from '../core/errors.js';
import { earlyWorker } from './early-worker.js';
import { exitFor, type ExitCode } from './exit.js';
import { commandHelp, didYouMean, helpAnswer } from './help/render.js';
import type { CliIo } from './io.js';
import { errorJson, printError, printJson } from './output.js';

export type Command = (argv: readonly string[], io: CliIo) => Promise<ExitCode>;

export type CommandTable = Readonly<Record<string, () => Promise<Command>>>;

export async function dispatch(commands: CommandTable, argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const help = helpAnswer(argv);
  if (help) {
    io.stdout(help.text);
    return help.code;
  }
  const [first, ...more] = argv as [string, ...string[]];
  const asksHelp = first === 'help' || first === '--help' || first === '-h';
  const name = asksHelp ? (more.find((a) => !a.startsWith('-')) ?? first) : first;
  const rest = asksHelp ? [] : more;
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  try {
    if (!command) throw new UsageError(unknownCommand(name, Object.keys(commands)));
    checkAction(name, rest);
    // The isolated verifier's worker starts loading while the command does (the built entry may have started it).
    const early = earlyWorker([name, ...rest]);
    if (early) (await import('../core/verify-isolated/runner.js')).prestartWorker(early);
    return await (
      await command()
    )(rest, io);
  } catch (err) {
    printError(io, err);
    if (rest.includes('--json')) printJson(io, errorJson(err));
    return exitFor(err);
  }
}

function unknownCommand(name: string, known: readonly string[]): string {
  const meant = didYouMean(name, known);
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
