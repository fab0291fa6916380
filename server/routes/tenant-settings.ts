// Our extension: PUT /api/tenant/settings (owner only) sets the tenant's TSA allowlist (seed 001: "enabledTsaSlugs in
// settings"; empty = every active TSA) and whether CAdES seals are stored. Unknown slugs are refused.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { tenantOf } from '../auth/hook.js';

type Settings = { enabledTsaSlugs?: string[]; storeCadesSeals?: boolean };
type Row = { id: string; name: string; plan: string; store_cades: boolean; enabled_tsa_slugs: string[] };

export function tenantSettingsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.put<{ Body: Settings }>(
    '/api/tenant/settings',
    {
      config: { auth: 'owner' },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            enabledTsaSlugs: {
              type: 'array',
              maxItems: 100,
              uniqueItems: true,
              items: { type: 'string', maxLength: 63 },
            },
            storeCadesSeals: { type: 'boolean' },
          },
        },
      },
    },
    async (request) => {
      const { enabledTsaSlugs, storeCadesSeals } = request.body;
      const unknown = (enabledTsaSlugs ?? []).filter((s) => !ctx.tsas.some((p) => p.slug === s));
      if (unknown.length > 0)
        throw new HttpError(400, `enabledTsaSlugs: unknown TSA ${unknown.map((s) => `"${s}"`).join(', ')}`);
      const t = await one<Row>(
        ctx.db,
        `UPDATE tenants SET enabled_tsa_slugs = COALESCE($2::text[], enabled_tsa_slugs),
           store_cades = COALESCE($3::boolean, store_cades)
         WHERE id = $1 RETURNING id, name, plan, store_cades, enabled_tsa_slugs`,
        [tenantOf(request), enabledTsaSlugs ?? null, storeCadesSeals ?? null],
      );
      if (!t) throw new HttpError(404, 'not found');
      return {
        id: t.id,
        name: t.name,
        plan: t.plan,
        storeCadesSeals: t.store_cades,
        enabledTsaSlugs: t.enabled_tsa_slugs,
      };
    },
  );
}
