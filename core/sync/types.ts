// The sync contract shared by the account, the HTTP client, the outbox/push/pull engine, remote work and the desktop
// (issue 17). Plain types only: each part lives in its own module of core/sync and core/app.

/** How this machine proves who it is to the remote API (seed 001 sessions, seed 002 API keys, seeds 000 and 004). */
export type Credential =
  | { readonly scheme: 'password'; readonly email: string; readonly accessToken: string; readonly refreshToken: string }
  | { readonly scheme: 'api-key'; readonly key: string }
  | { readonly scheme: 'hmac'; readonly keyId: string; readonly secret: string }
  | { readonly scheme: 'jwt'; readonly kid: string; readonly secret: string };

export type Account = {
  /** Normalised: scheme, host, port and path prefix, no trailing slash. */
  readonly serverUrl: string;
  readonly credential: Credential;
  readonly user: { readonly email?: string; readonly tenantId?: string; readonly role?: string };
  /** Extension names from GET /api/capabilities; empty on a server without it (the real Sigill). */
  readonly capabilities: readonly string[];
};

/** Where an account's credential is kept: a 0600 file for the CLI, the OS keychain (safeStorage) on the desktop. */
export interface AccountStore {
  read(): Promise<Account | null>;
  write(account: Account): Promise<void>;
  clear(): Promise<void>;
}

export type MultipartPart =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly filename: string; readonly contentType: string; readonly bytes: Uint8Array };

export type RemoteRequest = {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query below serverUrl, e.g. `/api/transactions/details?tenantId=…&page=2`. */
  readonly path: string;
  readonly json?: unknown;
  readonly multipart?: readonly MultipartPart[];
  readonly idempotencyKey?: string;
  /** Public routes (lookup, verify) go without credentials. */
  readonly anonymous?: boolean;
};

export type RemoteResponse = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
};

/**
 * The authenticated HTTP client. `send` signs each attempt afresh (HMAC nonce and date, client JWT iat/exp corrected
 * by the server's Date header), refreshes a password session once on 401, retries network failures, 500/502/503/504
 * and 429 with exponential backoff and full jitter (honouring Retry-After), and throws a CoreError:
 * OFFLINE (retries exhausted or no network), AUTH_REQUIRED (401 after refresh), REMOTE_REFUSED (other 4xx; `details`
 * carries status and body). A 2xx is returned; nothing else is.
 */
export interface RemoteClient {
  readonly account: Account;
  send(req: RemoteRequest, signal?: AbortSignal): Promise<RemoteResponse>;
  json<T>(req: RemoteRequest, signal?: AbortSignal): Promise<T>;
  has(extension: string): boolean;
}

/** What the status bar and `account status` show. */
export type SyncState = 'no-account' | 'synced' | 'pending' | 'offline' | 'sign-in-needed';

export type SyncStatus = {
  readonly state: SyncState;
  readonly serverUrl: string | null;
  readonly pending: number;
  readonly refused: number;
  readonly lastRunAt: string | null;
  readonly lastError: string | null;
};

export type SyncProgress = { readonly phase: 'push' | 'pull'; readonly done: number; readonly total: number | null };

export type SyncResult = {
  readonly pushed: number;
  readonly pulled: number;
  readonly pending: number;
  /** Local records the server cannot take (e.g. no import extension on the real Sigill), and why. */
  readonly refused: readonly { readonly kind: string; readonly recordId: string; readonly reason: string }[];
  readonly status: SyncStatus;
};
