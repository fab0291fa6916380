// The messages between main (or the loopback host) and the service host, the same over an Electron utilityProcess's
// parentPort and a worker_threads parentPort (both structured-clone: bytes travel as Uint8Array).
import type { Channel, Result, SealdeskEvent } from '../../preload/api.js';
import type { ServiceOptions } from '../services/context.js';

export type HostTimers = {
  readonly queueEveryMs?: number;
  readonly reachabilityEveryMs?: number;
  readonly syncEveryMs?: number;
};

/** main → host. `secrets`: the keychain's values the host may read (absent: no keychain). */
export type ToHost =
  | {
      readonly type: 'init';
      readonly options: ServiceOptions;
      readonly secrets?: Readonly<Record<string, string | null>>;
      readonly timers?: HostTimers | false;
    }
  | { readonly type: 'call'; readonly id: number; readonly channel: Channel; readonly request: unknown }
  | { readonly type: 'secret'; readonly name: string; readonly value: string | null }
  | { readonly type: 'close' };

/** host → main. */
export type FromHost =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly result: Result<unknown> }
  | { readonly type: 'event'; readonly event: SealdeskEvent }
  /** The host's one write to the keychain: the sync account's refreshed session (main/account-store.ts). */
  | { readonly type: 'secret'; readonly name: string; readonly value: string | null }
  | { readonly type: 'closed' };

/** The host's side of the pipe. */
export type HostPort = { post(message: FromHost): void; onMessage(handler: (message: ToHost) => void): void };

/** Main's side: a started host process or thread. */
export type HostProcess = {
  post(message: ToHost): void;
  onMessage(handler: (message: FromHost) => void): void;
  onExit(handler: (code: number) => void): void;
  kill(): void;
};
