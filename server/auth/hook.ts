// Who is calling: every route declares `config.auth` ('public' | 'user' | 'tenant' | 'owner'), and one onRequest hook
// asks each authenticator in turn (server sessions here; API keys, client JWTs, x-api-key and HMAC signatures in
// their own modules). The user's tenant and role are read from the database on every request, so a change of role
// counts at once. A caller without the level a route needs gets 401 (no credential) or 403 (not owner).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { readSession, sessionKey } from './session.js';

export type AuthLevel = 'public' | 'user' | 'tenant' | 'owner';
export type AuthVia = 'session' | 'api-key' | 'client-jwt' | 'x-api-key' | 'hmac';
export type Auth = {
  readonly userId: string;
  readonly email: string;
  readonly tenantId: string | null;
  readonly role: 'owner' | 'member';
  readonly via: AuthVia;
};

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
  interface FastifyContextConfig {
    auth?: AuthLevel;
  }
}

/** A credential reader: null when the request carries none of its kind; throws 401 when it carries a bad one. */
export type Authenticator = (
  request: FastifyRequest,
  ctx: ServerContext,
) => Promise<{ userId: string; via: AuthVia } | null>;

const unauthorized = () => new HttpError(401, 'authentication required');

export const bearer = (request: FastifyRequest): string | null => {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(h);
  return m ? m[1]! : null;
};

/** Bearer tokens this server issued at login (three dot-separated parts signed with the session key). */
export const sessionAuthenticator: Authenticator = async (request, ctx) => {
  const token = bearer(request);
  if (!token || token.split('.').length !== 3) return null;
  const claims = await readSession(await sessionKey(ctx.db), token, ctx.now());
  return claims ? { userId: claims.userId, via: 'session' } : null;
};

export function registerAuth(app: FastifyInstance, ctx: ServerContext, authenticators: readonly Authenticator[]): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const level = request.routeOptions.config?.auth ?? 'public';
    let found: { userId: string; via: AuthVia } | null = null;
    for (const a of authenticators) {
      found = await a(request, ctx);
      if (found) break;
    }
    if (found) {
      const user = await one<{ email: string; tenant_id: string | null; role: 'owner' | 'member' }>(
        ctx.db,
        'SELECT email, tenant_id, role FROM users WHERE id = $1',
        [found.userId],
      );
      if (user)
        request.auth = {
          userId: found.userId,
          email: user.email,
          tenantId: user.tenant_id,
          role: user.role,
          via: found.via,
        };
    }
    if (level === 'public') return;
    const auth = request.auth;
    if (!auth) throw unauthorized();
    if ((level === 'tenant' || level === 'owner') && !auth.tenantId)
      throw new HttpError(403, 'create or join an organisation first');
    if (level === 'owner' && auth.role !== 'owner') throw new HttpError(403, 'owner role required');
  });
}

/** The caller's tenant (routes at level 'tenant' or 'owner' only). */
export const tenantOf = (request: FastifyRequest): string => {
  const t = request.auth?.tenantId;
  if (!t) throw unauthorized();
  return t;
};

// --- Tenant scoping for route authors (S1): another tenant's record is 404, never 403 with a hint. ---
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** True for a well-formed UUID: check ids from the URL before a query (a malformed uuid is a database error). */
export const isUuid = (s: string): boolean => UUID_RE.test(s);

/** `row` when it belongs to the caller's tenant; a missing row or another tenant's row is the same 404. */
export function inTenant<T extends { tenant_id: string | null }>(
  request: FastifyRequest,
  row: T | null | undefined,
  message = 'not found',
): T {
  if (!row || row.tenant_id === null || row.tenant_id !== tenantOf(request)) throw new HttpError(404, message);
  return row;
}
