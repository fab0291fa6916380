// Every route plugin of sealdesk-server. A new group of routes is a file in this folder and one line here.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { sessionAuthenticator, registerAuth, type Authenticator } from '../auth/hook.js';
import { authRoutes } from './auth.js';
import { healthRoutes } from './health.js';
import { tenantRoutes } from './tenants.js';
import { tsaRoutes } from './tsa.js';
import { lookupRoutes } from './lookup.js';
import { transactionRoutes } from './transactions.js';
import { serviceRoutes } from './services.js';
import { tenantSettingsRoutes } from './tenant-settings.js';
import { importRoutes } from './import.js';
import { keyRoutes } from './keys.js';
import { clientKeyRoutes } from './client-keys.js';
import { sealCertificateRoutes } from './seal-certificates.js';
import { sealSignRoutes } from './seal-sign.js';
import { sealOperationRoutes } from './seal-operations.js';
import { sealVerifyRoutes } from './seal-verify.js';
import { sealImportRoutes } from './seal-import.js';
import { apiKeyAuthenticator } from '../auth/api-keys.js';
import { clientJwtAuthenticator } from '../auth/client-jwt.js';
import { hmacAuthenticator } from '../auth/hmac.js';
import { restampBulkRoutes } from './restamp-bulk.js';

type RoutePlugin = (app: FastifyInstance, ctx: ServerContext) => Promise<void> | void;

const STAMPING: readonly RoutePlugin[] = [
  tsaRoutes,
  lookupRoutes,
  transactionRoutes,
  serviceRoutes,
  tenantSettingsRoutes,
  importRoutes,
];

// S3: Document Seal
const SEALING: readonly RoutePlugin[] = [
  sealCertificateRoutes,
  sealSignRoutes,
  sealOperationRoutes,
  sealVerifyRoutes,
  sealImportRoutes,
];

const PLUGINS: readonly RoutePlugin[] = [
  ...STAMPING,
  ...SEALING,
  healthRoutes,
  authRoutes,
  tenantRoutes,
  keyRoutes,
  clientKeyRoutes,
  restampBulkRoutes,
];

/** Credential readers, asked in this order (server/auth/). */
const AUTHENTICATORS: readonly Authenticator[] = [
  sessionAuthenticator,
  clientJwtAuthenticator,
  apiKeyAuthenticator,
  hmacAuthenticator,
];

export async function registerRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  registerAuth(app, ctx, AUTHENTICATORS);
  for (const plugin of PLUGINS) await plugin(app, ctx);
}
