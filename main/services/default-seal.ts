// The default seal from the desktop: protect its key with a passphrase kept in the OS keychain, so the app never
// asks for it while the command line (sharing the data folder) still needs it given (--passphrase-env).
import { CoreError } from '../../core/errors.js';
import { defaultSealState, setDefaultSealPassphrase } from '../../core/signers/index.js';
import type { DefaultSealState } from '../../preload/api.js';
import type { ServiceContext } from './context.js';
import { DEFAULT_SEAL_SECRET, type DesktopHooks } from './desktop.js';

export function defaultSealServices(c: ServiceContext, hooks: DesktopHooks) {
  const state = (): DefaultSealState => ({
    ...defaultSealState(c.opts.dataDir),
    keychain: hooks.secrets !== undefined,
    ...(!hooks.secrets && hooks.keychainRefused ? { keychainNote: hooks.keychainRefused } : {}),
  });
  return {
    state,
    protect: async (r: { passphrase: string }): Promise<DefaultSealState> => {
      if (!hooks.secrets)
        throw new CoreError(
          'NOT_SUPPORTED',
          hooks.keychainRefused ?? 'no OS keychain is available here, so the passphrase could not be kept safely',
        );
      await setDefaultSealPassphrase(c.opts.dataDir, r.passphrase, hooks.secrets.get(DEFAULT_SEAL_SECRET) ?? undefined);
      hooks.secrets.set(DEFAULT_SEAL_SECRET, r.passphrase);
      return state();
    },
    /** What unlocks the default seal in this app: the keychain's passphrase, if any. */
    passphrase: (): string | undefined => hooks.secrets?.get(DEFAULT_SEAL_SECRET) ?? undefined,
  };
}
