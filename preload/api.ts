// The one IPC contract between the renderer and main: channel → request schema and result type.
// Plain data only (structured-clone safe). The renderer imports only types from here.
import { z } from 'zod/mini';

export type ApiError = { readonly code: string; readonly message: string; readonly details?: unknown };
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export type AppInfo = { readonly name: string; readonly version: string; readonly dataDir: string; readonly platform: string };
export type LedgerSummary = { readonly stamped: number; readonly pending: number };

/** Every channel, `domain:verb`. The preload needs only these names, so it never bundles zod. */
export const CHANNELS = ['app:info', 'ledger:summary'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Each channel's request schema, checked by main's handle(); `satisfies` keeps it in step with CHANNELS. */
export const CONTRACT = {
  'app:info': { request: /* @__PURE__ */ z.strictObject({}) },
  'ledger:summary': { request: /* @__PURE__ */ z.strictObject({}) },
} as const satisfies Record<Channel, { request: z.ZodMiniType }>;

/** What each channel returns. */
export type Responses = {
  'app:info': AppInfo;
  'ledger:summary': LedgerSummary;
};

export type RequestOf<C extends Channel> = z.infer<(typeof CONTRACT)[C]['request']>;

/** window.api: one method per channel, `domain:verb` → `domainVerb`. */
export type SealdeskApi = { readonly [C in Channel as MethodName<C>]: (request: RequestOf<C>) => Promise<Result<Responses[C]>> };

type MethodName<C extends string> = C extends `${infer D}:${infer V}` ? `${D}${Capitalize<V>}` : never;

export function methodName(channel: Channel): string {
  const [domain, verb] = channel.split(':') as [string, string];
  return domain + verb.charAt(0).toUpperCase() + verb.slice(1);
}
