// Runs the real `sealdesk` command in-process (same code path as the binary) with captured output.
import { main } from '../../cli/main.js';

export type CliRun = { code: number; stdout: string; stderr: string; json<T = any>(): T };

export function cliRunner(env: Record<string, string>) {
  return async function sealdesk(...args: string[]): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const code = await main(args, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { ...env },
      isTTY: false,
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
  };
}

/** Disables every built-in TSA so no test ever reaches for the internet. */
export async function isolateTsas(sealdesk: ReturnType<typeof cliRunner>): Promise<void> {
  for (const slug of ['digicert', 'sectigo', 'globalsign', 'swisssign', 'rfc3161.ai.moda']) {
    const r = await sealdesk('tsa', 'disable', slug);
    if (r.code !== 0) throw new Error(`could not disable ${slug}: ${r.stderr}`);
  }
}

/** A runner on a ledger whose only TSAs are the given loopback ones, added in this order (slug → URL and name). */
export async function cliWithTsas(
  env: Record<string, string>,
  tsas: Readonly<Record<string, { readonly url: string; readonly name: string }>>,
): Promise<ReturnType<typeof cliRunner>> {
  const sealdesk = cliRunner(env);
  await isolateTsas(sealdesk);
  for (const [slug, t] of Object.entries(tsas)) {
    const r = await sealdesk('tsa', 'add', slug, t.url, '--name', t.name);
    if (r.code !== 0) throw new Error(`could not add TSA ${slug}: ${r.stderr}`);
  }
  return sealdesk;
}
