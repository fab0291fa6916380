// Our extension (issue 16): POST /api/restamp/bulk {expiringWithinDays} (owner) queues every due record of the tenant
// for the drainers of all nodes (server/restamp/); GET /api/restamp/bulk/{id} (tenant) reports the job's progress.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { isUuid, tenantOf } from '../auth/hook.js';
import { HttpError } from '../errors.js';
import { enqueueBulk, progressOf } from '../restamp/enqueue.js';

export function restampBulkRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: { expiringWithinDays: number } }>(
    '/api/restamp/bulk',
    {
      config: { auth: 'owner' },
      schema: {
        body: {
          type: 'object',
          required: ['expiringWithinDays'],
          additionalProperties: false,
          properties: { expiringWithinDays: { type: 'integer', minimum: 0, maximum: 36_500 } },
        },
      },
    },
    async (request) => {
      const job = await enqueueBulk(ctx, tenantOf(request), request.body.expiringWithinDays);
      return progressOf(ctx, tenantOf(request), job.id);
    },
  );

  app.get<{ Params: { id: string } }>('/api/restamp/bulk/:id', { config: { auth: 'tenant' } }, async (request) => {
    const id = request.params.id;
    const progress = isUuid(id) ? await progressOf(ctx, tenantOf(request), id) : null;
    if (!progress) throw new HttpError(404, 'no such restamp job');
    return progress;
  });
}
