// The packaged `sealdesk` command without ELECTRON_RUN_AS_NODE (that fuse is off, electron-builder.yml): the launchers
// start the app binary as `Sealdesk [chromium switches] --cli -- <arguments>`, and the app runs the CLI's main() in
// its main process, without a window, and exits with the CLI's code. Here: telling that start from the app's.

/** The CLI's arguments when the binary was started as the `sealdesk` command, else null (the app starts). `skip`: the
 * executable (and, unpackaged, the app path). Only Chromium switches may come before `--cli`; a `--` after it ends
 * Chromium's switches and is not the CLI's. */
export function cliArguments(argv: readonly string[], skip: number): string[] | null {
  const rest = argv.slice(skip);
  const at = rest.indexOf('--cli');
  if (at < 0 || !rest.slice(0, at).every((a) => a.startsWith('--') && a !== '--')) return null;
  const args = rest.slice(at + 1);
  return args[0] === '--' ? args.slice(1) : args;
}
