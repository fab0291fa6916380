// `sealdesk sync`: placeholder registered by the lead; its owner replaces this file.
import { CoreError } from '../../core/errors.js';
import type { ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';

export function syncCommand(_argv: readonly string[], _io: CliIo): Promise<ExitCode> {
  return Promise.reject(new CoreError('NOT_SUPPORTED', 'sealdesk sync is not built yet.'));
}
