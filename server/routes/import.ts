// Our extension: POST /api/transactions/import {hashHex, tsrBase64, label?, parentTransactionId?} stores a record made
// offline. The token is checked against the hash first (core/tsp: imprint and signature); what does not verify is 400
// with the reason and nothing is stored. Idempotent by the token's SHA-256: a repeat returns the same record.
import type { FastifyInstance } from 'fastify';
import { inspectTimeStamp, judgeImprint } from '../../core/tsp/token-report.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import { inTenant, isUuid, tenantOf } from '../auth/hook.js';
import { detailView, insertRecord, recordOf } from '../stamping/record.js';
import { importBatchRoutes, ITEM_SCHEMA } from './import-batch.js';

type ImportBody = { hashHex: string; tsrBase64: string; label?: string; parentTransactionId?: string };

export function importRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: ImportBody }>(
    '/api/transactions/import',
    {
      config: { auth: 'tenant' },
      schema: { body: ITEM_SCHEMA },
    },
    async (request) => {
      const b = request.body;
      const tsr = Buffer.from(b.tsrBase64, 'base64');
      const report = await inspectTimeStamp(tsr);
      const verdict = judgeImprint(report, Buffer.from(b.hashHex, 'hex'));
      if (!verdict.valid) throw new HttpError(400, `the token does not verify against hashHex: ${verdict.message}`);
      const pid = b.parentTransactionId;
      if (pid !== undefined)
        inTenant(request, isUuid(pid) ? await recordOf(ctx.db, pid) : null, 'parentTransactionId: not found');
      const { row, created } = await insertRecord(ctx.db, {
        tenantId: tenantOf(request),
        userId: request.auth!.userId,
        hashHex: b.hashHex,
        label: b.label ?? null,
        tsaSlug: null,
        qualified: false,
        parentId: pid ?? null,
        origin: 'import',
        tsr,
        report,
      });
      return { ...detailView(row), created };
    },
  );
  importBatchRoutes(app, ctx);
}
