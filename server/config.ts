// Start-up configuration: the TSA list (built-in, or tsas.json replacing it), the data folder, port and database URL
// from flags or the environment (PORT, DATABASE_URL).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { hashFromOid, isRequestHash } from '../core/asn1/oids.js';
import { BUILTIN_TSAS, SLUG_PATTERN, type TsaProvider } from '../core/tsp/registry.js';

const TsaFile = z
  .array(
    z.strictObject({
      slug: z.string().regex(SLUG_PATTERN),
      name: z.string().min(1).max(200),
      url: z.string().url(),
      preferredHashOid: z.string(),
      qualified: z.boolean(),
    }),
  )
  .min(1);

/** tsas.json → providers in file order (every one enabled; tenants choose among them with enabledTsaSlugs). */
export function readTsaFile(path: string): TsaProvider[] {
  const parsed = TsaFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  return parsed.map((t, i) => {
    const hash = hashFromOid(t.preferredHashOid);
    if (!hash || !isRequestHash(hash))
      throw new Error(`${path}: ${t.slug}: preferredHashOid ${t.preferredHashOid} is not SHA-256/384/512`);
    return {
      id: t.slug,
      slug: t.slug,
      name: t.name,
      url: t.url,
      preferredHash: hash,
      qualified: t.qualified,
      enabled: true,
      position: i + 1,
      builtin: false,
    };
  });
}

export function builtinTsas(): TsaProvider[] {
  return BUILTIN_TSAS.map((t, i) => ({ ...t, position: i + 1, builtin: true }));
}

export type StartOptions = {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly tsasFile: string | null;
};

/** `--port <n> --data <dir> [--tsas <file>] [--host <addr>]`, PORT and DATABASE_URL from the environment. */
export function parseStartOptions(argv: readonly string[], env: NodeJS.ProcessEnv, defaultHome: string): StartOptions {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  for (const a of argv)
    if (a.startsWith('--') && !['--port', '--data', '--tsas', '--host'].includes(a))
      throw new Error(`unknown option ${a}`);
  const port = Number(flag('--port') ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: ${port} is not a port`);
  return {
    port,
    host: flag('--host') ?? '127.0.0.1',
    dataDir: flag('--data') ?? join(defaultHome, 'server'),
    databaseUrl: env.DATABASE_URL || null,
    tsasFile: flag('--tsas') ?? null,
  };
}
