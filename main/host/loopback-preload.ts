// The real preload (preload/preload.ts) for a page the loopback host serves: bundled by esbuild as Electron bundles
// it for the app (one browser script), with `electron` aliased to main/host/loopback-electron.ts. Built once per
// process, in memory; esbuild is a dev dependency, reached only where the loopback host runs (tests, development).
import { fileURLToPath } from 'node:url';

let bundle: Promise<string> | null = null;

export function loopbackPreload(): Promise<string> {
  bundle ??= (async () => {
    const esbuild = 'esbuild';
    const { build } = (await import(esbuild)) as typeof import('esbuild');
    const src = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
    const out = await build({
      entryPoints: [src('../../preload/preload.ts')],
      alias: { electron: src('./loopback-electron.ts') },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'chrome130',
      write: false,
      logLevel: 'warning',
    });
    return out.outputFiles[0]!.text;
  })();
  bundle.catch(() => (bundle = null));
  return bundle;
}
