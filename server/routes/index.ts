// Every route plugin of sealdesk-server. A new group of routes is a file in this folder and one line here.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { sessionAuthenticator, registerAuth, type Authenticator } from '../auth/hook.js';
import { authRoutes } from './auth.js';
import { healthRoutes } from './health.js';
import { tenantRoutes } from './tenants.js';

type RoutePlugin = (app: FastifyInstance, ctx: ServerContext) => Promise<void> | void;

const PLUGINS: readonly RoutePlugin[] = [healthRoutes, authRoutes, tenantRoutes];

/** Credential readers, asked in this order (server/auth/). */
const AUTHENTICATORS: readonly Authenticator[] = [sessionAuthenticator];

export async function registerRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  registerAuth(app, ctx, AUTHENTICATORS);
  for (const plugin of PLUGINS) await plugin(app, ctx);
}
