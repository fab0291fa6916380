// A small JSON client for the server tests: register a user (optionally with an organisation) and call routes.
export type Session = { readonly token: string; readonly userId: string; readonly email: string };

export async function call(
  base: string,
  method: string,
  path: string,
  o: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the raw text
  }
  return { status: res.status, body, headers: res.headers };
}

let n = 0;
/** A new user; with `organisation`, also the owner of a new tenant, and a token that carries it. */
export async function newUser(
  base: string,
  o: { organisation?: string } = {},
): Promise<Session & { tenantId: string | null }> {
  const email = `user${++n}.${process.pid}.${Date.now()}@example.org`;
  const reg = await call(base, 'POST', '/auth/register', {
    body: { name: `User ${n}`, email, password: 'correct horse battery' },
  });
  if (reg.status !== 200) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  if (!o.organisation) return { ...reg.body, tenantId: null };
  const t = await call(base, 'POST', '/api/tenants', { token: reg.body.token, body: { name: o.organisation } });
  if (t.status !== 200) throw new Error(`tenant: ${t.status} ${JSON.stringify(t.body)}`);
  const refreshed = await call(base, 'POST', '/auth/refresh', { token: reg.body.token });
  return { token: refreshed.body.token, userId: reg.body.userId, email, tenantId: t.body.id };
}
