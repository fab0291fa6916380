// What handle() does with one request, without Electron: sender check, zod validation, capabilities resolved to paths
// (main/resolve.ts), main's own channels answered here (main/main-side.ts), Result, never a throw.
import {
  CONTRACT,
  MAIN_SIDE_CHANNELS,
  type ApiError,
  type Channel,
  type MainSideChannel,
  type Result,
} from '../preload/api.js';
import { CapabilityError } from './capabilities.js';
import { toApiError } from './errors.js';
import { acceptDrop, answerMain, type MainSide } from './main-side.js';
import { noteOutputs, resolveRequest } from './resolve.js';
import type { Services } from './services/index.js';

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN_SENDER', message: 'request from an unknown frame refused' },
};
const isMain = (c: Channel): c is MainSideChannel => (MAIN_SIDE_CHANNELS as readonly Channel[]).includes(c);
const apiError = (err: unknown): ApiError =>
  err instanceof CapabilityError ? { code: err.code, message: err.message } : toApiError(err);

export async function dispatch(
  channel: Channel,
  senderUrl: string | undefined,
  raw: unknown,
  services: Services,
  isOurs: (url: string) => boolean,
  side: MainSide,
): Promise<Result<unknown>> {
  if (!senderUrl || !isOurs(senderUrl)) return FORBIDDEN;
  const parsed = CONTRACT[channel].request.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'BAD_REQUEST', message: parsed.error.message } };
  try {
    if (isMain(channel)) return { ok: true, value: await answerMain(side, channel, parsed.data as never) };
    const request = await resolveRequest(side, channel, parsed.data);
    const value = await (services[channel] as (r: unknown) => unknown)(request);
    noteOutputs(side, value);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: apiError(err) };
  }
}

/** DROP_CHANNEL: the preload's paths of dropped files (webUtils.getPathForFile) → handles; only from our frame. */
export function dispatchDrop(
  senderUrl: string | undefined,
  raw: unknown,
  isOurs: (url: string) => boolean,
  side: MainSide,
): Result<unknown> {
  if (!senderUrl || !isOurs(senderUrl)) return FORBIDDEN;
  try {
    return { ok: true, value: acceptDrop(side, raw) };
  } catch (err) {
    return { ok: false, error: apiError(err) };
  }
}
