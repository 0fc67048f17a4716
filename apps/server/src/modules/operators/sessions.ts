/**
 * Operator sessions: a random token in an httpOnly cookie, its SHA-256 in the
 * database, and a CSRF token the console echoes in a header on every write.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import type { OperatorRow } from '../../db/schema.js';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Queryable, operatorId: string): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db
    .insertInto('operator_sessions')
    .values({
      token_hash: hashToken(token),
      operator_id: operatorId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export interface ActiveSession {
  operator: OperatorRow;
  csrfToken: string;
}

export async function findActiveSession(db: Queryable, token: string): Promise<ActiveSession | undefined> {
  const row = await db
    .selectFrom('operator_sessions')
    .innerJoin('operators', 'operators.id', 'operator_sessions.operator_id')
    .selectAll('operators')
    .select('operator_sessions.csrf_token')
    .where('operator_sessions.token_hash', '=', hashToken(token))
    .where('operator_sessions.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) return undefined;
  const { csrf_token, ...operator } = row;
  return { operator, csrfToken: csrf_token };
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.deleteFrom('operator_sessions').where('token_hash', '=', hashToken(token)).execute();
}
