// Seed 001 "Authentication": POST /auth/register, /auth/login, /auth/refresh and GET /auth/me, with the seed's shapes.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { checkPassword, hashPassword } from '../auth/passwords.js';
import { issueSession, sessionKey } from '../auth/session.js';
import { clearLoginFailures, loginRetryAfter, recordLoginFailure } from '../auth/rate-limit.js';

type UserRow = {
  id: string;
  name: string;
  email: string;
  password_hash: string;
  tenant_id: string | null;
  role: 'owner' | 'member';
};

const email = { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' } as const;
const registerBody = {
  type: 'object',
  required: ['name', 'email', 'password'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    email,
    password: { type: 'string', minLength: 8, maxLength: 1024 },
  },
} as const;
const loginBody = {
  type: 'object',
  required: ['email', 'password'],
  additionalProperties: false,
  properties: { email: { type: 'string', maxLength: 254 }, password: { type: 'string', maxLength: 1024 } },
} as const;

export function authRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const token = async (u: Pick<UserRow, 'id' | 'email' | 'tenant_id' | 'role'>) =>
    issueSession(
      await sessionKey(ctx.db),
      { userId: u.id, email: u.email, tenantId: u.tenant_id, role: u.role },
      ctx.now(),
    );

  app.post<{ Body: { name: string; email: string; password: string } }>(
    '/auth/register',
    { schema: { body: registerBody } },
    async (request) => {
      const { name, password } = request.body;
      const address = request.body.email.toLowerCase();
      const hash = await hashPassword(password);
      const row = await one<UserRow>(
        ctx.db,
        'INSERT INTO users (name, email, password_hash) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING *',
        [name, address, hash],
      );
      if (!row) throw new HttpError(409, 'an account with this email exists');
      return { token: await token(row), userId: row.id, email: row.email };
    },
  );

  type Login = { Body: { email: string; password: string } };
  app.post<Login>('/auth/login', { schema: { body: loginBody } }, async (request, reply) => {
    // Rate limit (server/auth/rate-limit.ts): per account and per IP, checked before the password.
    const address = request.body.email.toLowerCase();
    const wait = await loginRetryAfter(ctx.db, address, request.ip, ctx.now());
    if (wait !== null) {
      return reply
        .status(429)
        .header('retry-after', String(wait))
        .send({ message: 'too many failed logins; try again later' });
    }
    const row = await one<UserRow>(ctx.db, 'SELECT * FROM users WHERE email = $1', [address]);
    if (!(await checkPassword(request.body.password, row?.password_hash ?? null)) || !row) {
      await recordLoginFailure(ctx.db, address, request.ip, ctx.now());
      throw new HttpError(401, 'invalid email or password');
    }
    await clearLoginFailures(ctx.db, address);
    return { token: await token(row), userId: row.id, email: row.email, tenantId: row.tenant_id };
  });

  app.post('/auth/refresh', { config: { auth: 'user' }, schema: {} }, async (request) => {
    const a = request.auth!;
    return { token: await token({ id: a.userId, email: a.email, tenant_id: a.tenantId, role: a.role }) };
  });

  app.get('/auth/me', { config: { auth: 'user' }, schema: {} }, async (request) => {
    const row = await one<UserRow>(ctx.db, 'SELECT * FROM users WHERE id = $1', [request.auth!.userId]);
    if (!row) throw new HttpError(401, 'authentication required');
    return { userId: row.id, name: row.name, email: row.email, tenantId: row.tenant_id, role: row.role };
  });
}
