// The per-user data folder, computed without Electron so the CLI and the desktop app share it.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Sealdesk';

/** Same folder as Electron's app.getPath('userData') for an app named "Sealdesk". */
export function defaultHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_NAME);
}
