// Entry point of the built `sealdesk` binary. It answers --help and --version itself (cli/help/ loads nothing else) and
// loads the rest of the CLI through a V8 code cache (cli/code-cache.ts): a command's second run skips parsing and
// compiling what its first run compiled. A known command loads its own bundle (dist/cli/cmd-<name>.cjs: that command
// and its libraries); anything else (`help`, a typo) loads the whole application (dist/cli/app.cjs).
import { fileURLToPath } from 'node:url';
import { defaultHome } from '../core/home.js';
import { cacheDirs, loadBundle, type BundleInfo } from './code-cache.js';
import { earlyWorker } from './early-worker.js';
import { helpAnswer } from './help/render.js';

/** Set by scripts/build.mjs: the application bundle's file name (beside this file), hash and charset. */
declare const SEALDESK_APP_BUNDLE: Omit<BundleInfo, 'file'> & { readonly name: string };
/** Set by scripts/build.mjs: each command's own bundle. */
declare const SEALDESK_COMMAND_BUNDLES: Readonly<Record<string, Omit<BundleInfo, 'file'> & { readonly name: string }>>;

type App = { runCli: (argv: readonly string[]) => Promise<number> };

const argv = process.argv.slice(2);
const help = helpAnswer(argv);
if (help) {
  process.stdout.write(help.text);
  process.exitCode = help.code;
} else {
  const early = earlyWorker(argv);
  // Loaded here only for verify and inspect (bundled into this entry, initialised on this call): the worker starts
  // loading its verifier while this thread loads the application; the runner in the bundle takes it over.
  if (early) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runner = require('../core/verify-isolated/runner.js') as typeof import('../core/verify-isolated/runner.js');
    runner.prestartWorker(early);
  }
  const name = argv[0] ?? '';
  const own = Object.hasOwn(SEALDESK_COMMAND_BUNDLES, name) ? SEALDESK_COMMAND_BUNDLES[name] : undefined;
  const bundle = own ?? SEALDESK_APP_BUNDLE;
  const file = fileURLToPath(new URL(bundle.name, import.meta.url));
  const home = process.env.SEALDESK_HOME || defaultHome(process.env);
  const use = own ? `cli-${name}` : 'cli';
  const app = loadBundle<App>({ ...bundle, file }, use, cacheDirs(file, home));
  void app.exports.runCli(argv).then((code) => {
    process.exitCode = code;
    app.save();
  });
}
