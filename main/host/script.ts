// Where the service host's script is: service-host.js beside the built main bundle (dist/main), or, running from
// sources (vitest, the loopback host in development), main/host/service-host.ts bundled once by esbuild into
// node_modules/.cache with the isolated verifier's worker beside it (core/verify-isolated finds it there), in a folder
// named by the content's hash so parallel test processes share it safely (the approach of core/verify-isolated).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let script: Promise<URL> | null = null;

export function hostScript(): Promise<URL> {
  script ??= (async () => {
    const built = new URL('./service-host.js', import.meta.url);
    if (existsSync(fileURLToPath(built))) return built;
    if (!import.meta.url.endsWith('.ts')) {
      throw new Error('service-host.js is missing beside the Sealdesk bundle: rebuild it (node scripts/build.mjs)');
    }
    return fromSources();
  })();
  script.catch(() => (script = null));
  return script;
}

async function fromSources(): Promise<URL> {
  const esbuild = 'esbuild'; // a dev dependency: reached only when running from sources
  const { build } = (await import(esbuild)) as typeof import('esbuild');
  const src = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
  const out = await build({
    entryPoints: {
      'service-host': src('./service-host.ts'),
      'verify-worker': src('../../core/verify-isolated/worker.ts'),
    },
    outdir: '/', // not written: only names the outputs
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    write: false,
    logLevel: 'warning',
    sourcemap: 'inline',
  });
  const hash = createHash('sha256');
  for (const f of out.outputFiles) hash.update(f.path).update(f.contents);
  const dir = fileURLToPath(
    new URL(`../../node_modules/.cache/sealdesk-service-host/${hash.digest('hex').slice(0, 16)}/`, import.meta.url),
  );
  // Under node_modules the nearest package.json scope ends: this one makes the two .js files ES modules.
  const files = [
    ...out.outputFiles.map((f) => ({ name: f.path.replace(/^.*[\\/]/, ''), contents: f.contents })),
    { name: 'package.json', contents: Buffer.from('{"type":"module"}\n') },
  ];
  for (const f of files) {
    const file = join(dir, f.name);
    if (existsSync(file)) continue;
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, file);
  }
  return pathToFileURL(join(dir, 'service-host.js'));
}
