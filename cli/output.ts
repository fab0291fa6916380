// Printing: one JSON value for --json, a readable line otherwise; errors as one clear line on stderr.
import { AllTsasFailedError, CoreError, errorMessage } from '../core/errors.js';
import type { CliIo } from './io.js';

export type ErrorJson = { code: string; message: string; [extra: string]: unknown };

export function errorJson(err: unknown, extra: Record<string, unknown> = {}): ErrorJson {
  if (err instanceof AllTsasFailedError) return { code: err.code, ...err.body(), ...extra };
  if (err instanceof CoreError) return { code: err.code, message: err.message, ...extra };
  return { code: 'INTERNAL', message: errorMessage(err), ...extra };
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** One value for one input, an array in input order for several (the CLI contract). */
export function printJsonResults(io: CliIo, values: readonly unknown[]): void {
  printJson(io, values.length === 1 ? values[0] : values);
}

export function printError(io: CliIo, err: unknown, prefix = ''): void {
  const line = err instanceof AllTsasFailedError ? allFailedLine(err) : errorMessage(err);
  io.stderr(`sealdesk: ${prefix}${line}\n`);
}

function allFailedLine(err: AllTsasFailedError): string {
  const each = err.failures
    .map((f) => `${f.tsa}: ${f.errorClass}${f.statusCode ? ` ${f.statusCode}` : ''} (${f.message})`)
    .join('; ');
  return `all ${err.attemptsTried} TSA(s) failed: ${each}`;
}

/** A progress line on a terminal, for many inputs; silent otherwise. */
export function progress(io: CliIo, enabled: boolean): (done: number, total: number, what: string) => void {
  if (!enabled || !io.isTTY) return () => undefined;
  return (done, total, what) => {
    const line = done === total ? '' : `[${done}/${total}] ${what}`.slice(0, 100);
    io.stderr(`\r\x1b[2K${line}`);
  };
}
