/**
 * A query parameter written as an SQL literal, for `EXECUTE name(...)` in tests that explain
 * prepared statements (EXECUTE is a utility statement: it binds no parameters of its own).
 */
import type pg from 'pg';

export function sqlLiteral(client: Pick<pg.ClientBase, 'escapeLiteral'>, value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return 'NULL';
  return client.escapeLiteral(text(value));
}

/** Text of a value as PostgreSQL reads it: arrays as array literals, dates in ISO 8601. */
function text(value: unknown): string {
  if (Array.isArray(value))
    return `{${value.map((item) => `"${text(item).replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
