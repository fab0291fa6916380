// The help text: the CLI contract as users read it (cli/help/: the overview by task and one page per command).
import { overview } from './help/render.js';

export { VERSION } from './help/render.js';

/** The overview `sealdesk --help` prints. */
export const USAGE = overview();
