// Argument parsing on node:util parseArgs, with errors that name the command.
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';
import { isRequestHash, type RequestHash } from '../core/asn1/oids.js';
import { didYouMean } from './help/render.js';

type OptionSpec = {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly default?: string | boolean;
};
type Spec = Record<string, OptionSpec>;
type ValuesOf<O extends Spec> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string;
};
export type Parsed<O extends Spec> = {
  values: ValuesOf<O> & { json?: boolean; help?: boolean };
  positionals: string[];
};

/** Every command also takes --json and --help. An unknown option names the one meant (`--levle`: did you mean --level?). */
export function parse<O extends Spec>(command: string, argv: readonly string[], options: O): Parsed<O> {
  try {
    const all = { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
    return parseArgs({ args: [...argv], options: all, allowPositionals: true, strict: true }) as unknown as Parsed<O>;
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${command}: ${message}${suggestion(command, message, Object.keys(options))}`);
  }
}

function suggestion(command: string, message: string, names: readonly string[]): string {
  if (!message.startsWith('Unknown option')) return '';
  const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
  const meant = unknown === undefined ? undefined : didYouMean(unknown, [...names, 'json', 'help']);
  return meant === undefined
    ? ` (\`sealdesk ${command.split(' ')[0]} --help\` lists them)`
    : ` (did you mean --${meant}?)`;
}

export function hashOption(value: string | undefined): RequestHash | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase().replace('-', '');
  if (!isRequestHash(v)) throw new UsageError(`--hash must be sha256, sha384 or sha512, not "${value}"`);
  return v;
}

export function positiveInt(
  name: string,
  value: string | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name} must be a whole number from 1 to ${max}`);
  return n;
}
