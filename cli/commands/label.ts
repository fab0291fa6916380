// `sealdesk label`: placeholder registered by the lead; its owner replaces this file.
import { CoreError } from '../../core/errors.js';
import type { ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';

export function labelCommand(_argv: readonly string[], _io: CliIo): Promise<ExitCode> {
  return Promise.reject(new CoreError('NOT_SUPPORTED', 'sealdesk label is not built yet.'));
}
