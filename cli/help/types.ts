// The shape of one command's help (cli/help/*-commands.ts): what `sealdesk <command> --help` prints. Import-free, so
// the built entry prints help without loading the application bundle.

export type Group = 'stamp' | 'seal' | 'verify' | 'archive' | 'sync' | 'settings';

export type CommandHelp = {
  readonly name: string;
  readonly group: Group;
  /** The overview's one line: the arguments and what the command does. */
  readonly synopsis: readonly [args: string, what: string];
  /** A sentence or two for the command's own page. */
  readonly about: string;
  /** Its forms, without the leading `sealdesk `. */
  readonly usage: readonly string[];
  /** The sub-actions, for commands that take one (`tsa add`, `cert list`, …); checked before the command runs. */
  readonly actions?: readonly string[];
  readonly options: readonly (readonly [flag: string, what: string])[];
  readonly examples: readonly string[];
};
