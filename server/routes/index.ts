// Every route plugin of sealdesk-server. A new group of routes is a file in this folder and one line here.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { healthRoutes } from './health.js';

type RoutePlugin = (app: FastifyInstance, ctx: ServerContext) => Promise<void> | void;

const PLUGINS: readonly RoutePlugin[] = [healthRoutes];

export async function registerRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  for (const plugin of PLUGINS) await plugin(app, ctx);
}
