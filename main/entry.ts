// Electron's entry (built as dist/main/main.js): the app, or the `sealdesk` command line inside the app binary when
// started with --cli (main/cli-entry.ts) — the packaged CLI's own entry, since RunAsNode is off.
import { app } from 'electron';
import { cliArguments } from './cli-entry.js';

const cli = cliArguments(process.argv, app.isPackaged ? 1 : 2);
if (cli) {
  app.dock?.hide(); // macOS: a command, not an app in the Dock
  const { runCli } = await import('../cli/main.js');
  let code = 1;
  try {
    code = await runCli(cli);
  } finally {
    app.exit(code);
  }
} else {
  await import('./main.js');
}
