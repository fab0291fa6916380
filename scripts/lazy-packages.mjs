// An esbuild plugin for the CLI's bundles: the libraries and modules named load on first use, not when a module
// importing them loads. `sealdesk verify` imports the report writer (core/report/write.ts, with pdf-lib) and the
// certificate code (pkijs, asn1js, @peculiar/x509) through shared modules, yet its main thread mostly only reads flags,
// the ledger and the worker's answer; their start-up work (pdf-lib inflates its font tables) then happens only in the
// process that uses them. Only imports from Sealdesk's own code are deferred; the libraries' imports of each other are
// untouched (one instance of each). Export names are read at build time, so namespace and named imports keep working.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);

/** @param {{ packages: readonly string[], modules: readonly string[] }} o @returns {import('esbuild').Plugin} */
export function lazyImports({ packages, modules }) {
  const escape = (s) => s.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&');
  const packageFilter = new RegExp(`^(${packages.map(escape).join('|')})$`);
  const moduleFiles = new Set(modules.map((m) => resolve(m)));
  const moduleFilter = new RegExp(
    `(${modules.map((m) => escape(m.replace(/\.ts$/, '').split('/').pop())).join('|')})\\.js$`,
  );
  return {
    name: 'lazy-imports',
    setup(b) {
      if (packages.length > 0)
        b.onResolve({ filter: packageFilter }, (args) => {
          if (args.namespace === 'lazy' || args.importer.includes('/node_modules/')) return undefined;
          const real = loadAtBuild(args.path);
          return {
            path: args.path,
            namespace: 'lazy',
            pluginData: { names: Object.keys(real), esModule: real.__esModule === true },
          };
        });
      b.onResolve({ filter: moduleFilter }, async (args) => {
        if (args.namespace === 'lazy' || args.pluginData?.real) return undefined;
        const real = await b.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          pluginData: { real: true },
        });
        if (real.errors.length > 0 || !moduleFiles.has(real.path)) return undefined;
        return {
          path: `./${relative(process.cwd(), real.path)}`,
          namespace: 'lazy',
          pluginData: { names: await exportNames(real.path), esModule: true },
        };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
        contents: wrapper(args.path, args.pluginData),
        loader: 'js',
        resolveDir: process.cwd(),
      }));
    },
  };
}

function loadAtBuild(name) {
  require('reflect-metadata'); // @peculiar/x509 needs it loaded first, as core/asn1/x509.ts does
  return require(name);
}

async function exportNames(file) {
  const out = await build({
    entryPoints: [file],
    bundle: false,
    write: false,
    metafile: true,
    format: 'esm',
    outdir: 'lazy-names',
    logLevel: 'silent',
  });
  return Object.values(out.metafile.outputs).flatMap((o) => o.exports ?? []);
}

/** A stand-in whose properties load the real module; `__esModule` as the real one has it (default imports). */
function wrapper(path, { names, esModule }) {
  return [
    'let real;',
    `const load = () => (real ??= require(${JSON.stringify(path)}));`,
    `const lazy = ${esModule ? "Object.defineProperty({}, '__esModule', { value: true })" : '{}'};`,
    `for (const k of ${JSON.stringify(names)}) Object.defineProperty(lazy, k, { enumerable: true, get: () => load()[k] });`,
    'module.exports = lazy;',
  ].join('\n');
}
