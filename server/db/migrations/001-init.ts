// Schema version 1: tenants and users, every credential kind of the seeds, the stamp record, quotas, the TSA failure
// log, idempotency records, seal certificates and operations, bulk restamp jobs. Shared by every server process.
export const init = `
CREATE TABLE server_secrets (
  name text PRIMARY KEY,
  value bytea NOT NULL
);
CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  plan text NOT NULL DEFAULT 'free',
  store_cades boolean NOT NULL DEFAULT false,
  enabled_tsa_slugs text[] NOT NULL DEFAULT '{}',
  tsa_cursor bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  tenant_id uuid REFERENCES tenants(id),
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  label text,
  prefix text NOT NULL,
  key_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE TABLE client_keys (
  kind text NOT NULL CHECK (kind IN ('jwt', 'hmac')),
  key_id text NOT NULL,
  secret bytea NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  PRIMARY KEY (kind, key_id)
);
CREATE TABLE used_nonces (
  key_id text NOT NULL,
  nonce text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (key_id, nonce)
);
CREATE TABLE login_attempts (
  scope text NOT NULL,
  window_start timestamptz NOT NULL,
  failures int NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, window_start)
);
CREATE TABLE transactions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  user_id uuid REFERENCES users(id),
  hash_hex text NOT NULL,
  hash_algorithm_oid text NOT NULL,
  label text,
  tsa_slug text,
  tsa_name text NOT NULL,
  serial text NOT NULL,
  gen_time timestamptz NOT NULL,
  tsr bytea NOT NULL,
  token_sha256 text NOT NULL,
  cert_not_before timestamptz,
  cert_not_after timestamptz,
  qualified boolean NOT NULL DEFAULT false,
  policy_oid text,
  parent_id uuid REFERENCES transactions(id),
  origin text NOT NULL DEFAULT 'stamp' CHECK (origin IN ('stamp', 'restamp', 'import')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, token_sha256)
);
CREATE INDEX transactions_hash ON transactions (hash_hex);
CREATE INDEX transactions_tenant_created ON transactions (tenant_id, created_at DESC);
CREATE INDEX transactions_parent ON transactions (parent_id);
CREATE TABLE usage (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  month text NOT NULL,
  stamps int NOT NULL DEFAULT 0,
  qualified int NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, month)
);
CREATE TABLE tsa_failures (
  id bigserial PRIMARY KEY,
  tenant_id uuid,
  at timestamptz NOT NULL DEFAULT now(),
  tsa_slug text NOT NULL,
  tsa_name text NOT NULL,
  error_class text NOT NULL,
  status_code int,
  message text NOT NULL,
  latency_ms int NOT NULL
);
CREATE TABLE idempotency (
  scope text NOT NULL,
  key text NOT NULL,
  request_sha256 text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'done')),
  status_code int,
  headers jsonb,
  body bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
CREATE TABLE seal_certificates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants(id),
  label text NOT NULL,
  status text NOT NULL CHECK (status IN ('provisioning', 'active', 'revoked')),
  source text NOT NULL CHECK (source IN ('byoc', 'platform')),
  key_kind text NOT NULL CHECK (key_kind IN ('pkcs11', 'kms')),
  key_ref text NOT NULL,
  public_key_der bytea NOT NULL,
  csr_pem text,
  chain_pem text,
  cert_subject text,
  cert_not_before timestamptz,
  cert_not_after timestamptz,
  key_deletion_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE seal_operations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  user_id uuid REFERENCES users(id),
  certificate_id uuid REFERENCES seal_certificates(id),
  document_hash text NOT NULL,
  label text,
  status text NOT NULL DEFAULT 'success',
  signature_type text NOT NULL CHECK (signature_type IN ('pades', 'cades')),
  p7s bytea,
  tsa_name text,
  qualified boolean NOT NULL DEFAULT false,
  origin text NOT NULL DEFAULT 'seal' CHECK (origin IN ('seal', 'import')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX seal_operations_tenant_created ON seal_operations (tenant_id, created_at DESC);
CREATE TABLE restamp_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  expiring_within_days int NOT NULL,
  state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE restamp_items (
  job_id uuid NOT NULL REFERENCES restamp_jobs(id),
  transaction_id uuid NOT NULL REFERENCES transactions(id),
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed', 'skipped')),
  locked_by text,
  locked_until timestamptz,
  attempts int NOT NULL DEFAULT 0,
  new_transaction_id uuid REFERENCES transactions(id),
  error text,
  PRIMARY KEY (job_id, transaction_id)
);
CREATE TABLE tsa_rate (
  tsa_slug text NOT NULL,
  window_start timestamptz NOT NULL,
  requests int NOT NULL DEFAULT 0,
  PRIMARY KEY (tsa_slug, window_start)
);
`;
