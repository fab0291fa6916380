// OpenSSL as an independent judge: run it, and read `openssl ts -reply -text` the way a person would.
import { execFile } from 'node:child_process';

export type OpensslResult = { code: number; stdout: string; stderr: string };

export function openssl(
  args: readonly string[],
  opts: { input?: Uint8Array; env?: NodeJS.ProcessEnv } = {},
): Promise<OpensslResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'openssl',
      [...args],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: opts.env ?? process.env },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
    if (opts.input) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

/** `openssl ts -verify`; ok only when OpenSSL prints "Verification: OK". */
export async function tsVerify(o: {
  data?: string;
  digestHex?: string;
  tsr: string;
  caFile: string;
  untrusted?: string;
  tokenIn?: boolean;
}): Promise<{ ok: boolean; output: string }> {
  const args = ['ts', '-verify', '-in', o.tsr, '-CAfile', o.caFile];
  if (o.data) args.push('-data', o.data);
  if (o.digestHex) args.push('-digest', o.digestHex);
  if (o.untrusted) args.push('-untrusted', o.untrusted);
  if (o.tokenIn) args.push('-token_in');
  const r = await openssl(args);
  const output = r.stdout + r.stderr;
  return { ok: r.code === 0 && /Verification: OK/.test(output), output };
}

export type TsText = {
  status: string | null;
  policyOid: string;
  /** Lowercase hex without 0x and without leading zeros. */
  serialHex: string;
  genTime: Date;
  hashAlgorithm: string;
  messageImprintHex: string;
  nonceHex: string | null;
  /** The TSA line as OpenSSL prints it (e.g. "DirName:/C=NO/O=.../CN=..."), or null when unspecified. */
  tsaName: string | null;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses `openssl ts -reply -in X -text` (or `-token_in` for a bare token). */
export async function tsText(path: string, opts: { tokenIn?: boolean } = {}): Promise<TsText> {
  // An empty config: the default one names some OIDs (tsa_policy1 …) and OpenSSL would print those names.
  const r = await openssl(['ts', '-reply', '-in', path, '-text', ...(opts.tokenIn ? ['-token_in'] : [])], {
    env: { ...process.env, OPENSSL_CONF: '/dev/null' },
  });
  if (r.code !== 0) throw new Error(`openssl could not read ${path}: ${r.stderr}`);
  const t = r.stdout;
  const line = (label: string) => t.match(new RegExp(`^${label}:[ \\t]*(.*)$`, 'm'))?.[1]?.trim() ?? null;
  const imprintBlock = t.match(/Message data:\n([\s\S]*?)\n(?=\S)/)?.[1] ?? '';
  const imprint = [...imprintBlock.matchAll(/^\s+[0-9a-f]{4} - ((?:[0-9a-f]{2}[ -])*[0-9a-f]{2})/gm)]
    .map((m) => m[1]!.replace(/[ -]/g, ''))
    .join('');
  const gen = line('Time stamp') ?? '';
  const g = gen.match(/^(\w{3})\s+(\d+) (\d\d):(\d\d):(\d\d)(\.\d+)? (\d{4}) GMT$/);
  if (!g) {
    if (gen) throw new Error(`unexpected Time stamp line: ${gen}`);
    // A response without a token (a rejection): only the status is there.
    return {
      status: line('Status'),
      policyOid: '',
      serialHex: '',
      genTime: new Date(NaN),
      hashAlgorithm: '',
      messageImprintHex: '',
      nonceHex: null,
      tsaName: null,
    };
  }
  const ms = g[6] ? Math.round(Number(g[6]) * 1000) : 0;
  const genTime = new Date(
    Date.UTC(Number(g[7]), MONTHS.indexOf(g[1]!), Number(g[2]), Number(g[3]), Number(g[4]), Number(g[5]), ms),
  );
  const hexInt = (v: string | null) =>
    v === null || v === 'unspecified'
      ? null
      : v
          .replace(/^0x/i, '')
          .toLowerCase()
          .replace(/^0+(?=.)/, '');
  const serial = line('Serial number');
  return {
    status: line('Status'),
    policyOid: line('Policy OID') ?? '',
    serialHex: hexInt(serial?.startsWith('0x') ? serial : serial ? BigInt(serial).toString(16) : null) ?? '',
    genTime,
    hashAlgorithm: line('Hash Algorithm') ?? '',
    messageImprintHex: imprint,
    nonceHex: hexInt(line('Nonce')),
    tsaName: line('TSA') === 'unspecified' ? null : line('TSA'),
  };
}
