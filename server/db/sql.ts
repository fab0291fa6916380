// The server's one way to the database: parameterised queries and transactions, the same over PostgreSQL (pg) and
// the embedded PGlite. SQL text never carries a value: every value travels as a parameter.
export type Row = Record<string, unknown>;

export interface Sql {
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on a throw) on one connection. */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The first row, or null. */
export async function one<R extends Row>(sql: Sql, text: string, params?: readonly unknown[]): Promise<R | null> {
  const rows = await sql.query<R>(text, params);
  return rows[0] ?? null;
}
