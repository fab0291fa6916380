// startServiceHost(): the services in a host of their own — an Electron utilityProcess in the app (main.ts passes
// `spawn`), a worker_threads Worker elsewhere (tests, the loopback host), or a Node child process — behind an object of
// the `Services` type, so dispatch() stays the single entry. What needs Electron's main stays there: dialogs, handles,
// opened files (main/main-side.ts, answered by dispatch) and the keychain (the default seal's and the sync account's
// channels, here; the host gets a copy of the passphrase and of the account, and writes back only a refreshed session).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CHANNELS, type Channel } from '../../preload/api.js';
import { serviceContext, type ServiceOptions } from '../services/context.js';
import { defaultSealServices } from '../services/default-seal.js';
import { DEFAULT_SEAL_SECRET, type DesktopHooks } from '../services/desktop.js';
import type { SubscribeEvents } from '../services/events.js';
import type { Services } from '../services/index.js';
import { accountServices } from '../services/account.js';
import { ACCOUNT_SECRET } from '../account-store.js';
import { HostClient } from './client.js';
import type { HostProcess, HostTimers } from './protocol.js';
import { hostScript } from './script.js';

/** The channels main answers itself. */
export const MAIN_CHANNELS = [
  'defaultSeal:state',
  'defaultSeal:protect',
  'account:login',
  'account:status',
  'account:logout',
] as const satisfies readonly Channel[];

export type ServiceHost = {
  /** Every channel: main's own, the rest forwarded to the host. */
  readonly services: Services & { readonly subscribeEvents: SubscribeEvents };
  /** The host's events (and what main adds with `client.events.emit`); a newcomer gets the latest state first. */
  readonly subscribeEvents: SubscribeEvents;
  readonly client: HostClient;
  close(): Promise<void>;
};

export type ServiceHostOptions = {
  readonly options: ServiceOptions;
  /** The OS keychain (Electron's safeStorage) in main, or why there is none (the default seal says so). */
  readonly hooks?: Pick<DesktopHooks, 'secrets' | 'keychainRefused' | 'keychainProblem'>;
  /** Starts the host's script: Electron's utilityProcess.fork, or a worker thread (default) or child process here. */
  readonly spawn?: 'process' | 'worker' | ((script: URL) => HostProcess);
  /** The host's queue timer and reachability checks (false: none, for tests that drive them). */
  readonly timers?: HostTimers | false;
};

export async function startServiceHost(o: ServiceHostOptions): Promise<ServiceHost> {
  const hooks = o.hooks ?? {};
  const spawn = o.spawn === 'process' ? childProcess : o.spawn === 'worker' || !o.spawn ? workerProcess : o.spawn;
  const client = new HostClient(async () => spawn(await hostScript()), {
    options: o.options,
    keychain: hooks.secrets !== undefined,
    timers: o.timers,
  });
  const secret = () => client.setSecret(DEFAULT_SEAL_SECRET, hooks.secrets?.get(DEFAULT_SEAL_SECRET) ?? null);
  if (hooks.secrets) secret();
  // The sync account: signed in here (the password never leaves main), its copy sent to the host, which runs sync.
  const account = () => client.setSecret(ACCOUNT_SECRET, hooks.secrets?.get(ACCOUNT_SECRET) ?? null);
  if (hooks.secrets) account();
  client.onSecret = (name, value) => {
    if (name === ACCOUNT_SECRET && hooks.secrets?.get(ACCOUNT_SECRET) !== null) hooks.secrets?.set(name, value);
  };
  const accounts = accountServices(hooks, () => account());
  const defaultSeal = defaultSealServices(serviceContext(o.options), hooks); // reads the data folder's seal files only
  const own: Pick<Services, (typeof MAIN_CHANNELS)[number]> = {
    'defaultSeal:state': defaultSeal.state,
    'defaultSeal:protect': async (r) => {
      const state = await defaultSeal.protect(r);
      secret(); // the host seals with the new passphrase from now on
      return state;
    },
    'account:login': accounts.login,
    'account:status': accounts.state,
    'account:logout': accounts.logout,
  };
  // Main's own channels (MAIN_SIDE_CHANNELS) never reach the services: dispatch answers them.
  const forwarded = Object.fromEntries(CHANNELS.map((c) => [c, (request: unknown) => client.call(c, request)]));
  const services = { ...forwarded, ...own, subscribeEvents: client.events.subscribe } as ServiceHost['services'];
  await client.start();
  return { services, subscribeEvents: client.events.subscribe, client, close: () => client.close() };
}

/** The host in a Node child process (structured clone over IPC: bytes stay bytes). */
function childProcess(script: URL): HostProcess {
  const child = fork(fileURLToPath(script), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A send after it stopped; 'exit' follows.
  child.on('error', (err) => console.error(`sealdesk service host: ${err.message}`));
  return {
    post: (m) => void child.send(m),
    onMessage: (f) => void child.on('message', f),
    onExit: (f) => void child.on('exit', (code) => f(code ?? 1)),
    kill: () => void child.kill(),
  };
}

/** The host in a worker thread of this process. */
function workerProcess(script: URL): HostProcess {
  const worker = new Worker(script);
  worker.on('error', (err) => console.error(`sealdesk service host: ${err.stack ?? err.message}`)); // then 'exit'
  return {
    post: (m) => worker.postMessage(m),
    onMessage: (f) => void worker.on('message', f),
    onExit: (f) => void worker.on('exit', f),
    kill: () => void worker.terminate(),
  };
}
