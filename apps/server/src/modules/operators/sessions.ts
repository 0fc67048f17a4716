/**
 * Operator sessions: a random token in an httpOnly cookie, its SHA-256 in the
 * database (also the session's id, safe to pass around), and a CSRF token the
 * console echoes in a header on every write. Ending sessions — logout, or all
 * of one operator's (deactivation, a password change) — deletes them and
 * announces it on the bus, so every node cuts the consoles still connected
 * with them; expired sessions are swept away periodically.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import type { OperatorRow } from '../../db/schema.js';
import type { Logger } from '../../logger.js';
import type { DomainContext } from '../context.js';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** How often a node deletes expired sessions: often enough that none lingers, rare enough to cost nothing. */
export const SESSION_SWEEP_INTERVAL_MS = 3600 * 1000;

/** The session's id: the SHA-256 of its token, so logs and events never carry the secret. */
export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** How stale a session's `last_seen_at` may get before a use writes it again: one write per session per few minutes. */
export const SESSION_TOUCH_INTERVAL_MS = 5 * 60_000;

export async function createSession(
  db: Queryable,
  operatorId: string,
  ttlMs = SESSION_TTL_MS,
  details: { userAgent?: string | null } = {},
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs);
  await db
    .insertInto('operator_sessions')
    .values({
      token_hash: sessionIdOf(token),
      operator_id: operatorId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      user_agent: details.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export interface ActiveSession {
  id: string;
  operator: OperatorRow;
  csrfToken: string;
  expiresAt: Date;
}

export async function findActiveSession(db: Queryable, token: string): Promise<ActiveSession | undefined> {
  const id = sessionIdOf(token);
  const row = await db
    .selectFrom('operator_sessions')
    .innerJoin('operators', 'operators.id', 'operator_sessions.operator_id')
    .selectAll('operators')
    .select([
      'operator_sessions.csrf_token',
      'operator_sessions.expires_at as session_expires_at',
      'operator_sessions.last_seen_at as session_last_seen_at',
    ])
    .where('operator_sessions.token_hash', '=', id)
    .where('operator_sessions.expires_at', '>', new Date())
    // A deactivated operator's sessions are deleted with the deactivation; this also covers a login racing it.
    .where('operators.deactivated_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const { csrf_token, session_expires_at, session_last_seen_at, ...operator } = row;
  if (Date.now() - session_last_seen_at.getTime() > SESSION_TOUCH_INTERVAL_MS) {
    await db
      .updateTable('operator_sessions')
      .set({ last_seen_at: new Date() })
      .where('token_hash', '=', id)
      .execute();
  }
  return { id, operator, csrfToken: csrf_token, expiresAt: session_expires_at };
}

/** True while the session exists and has not expired: one primary-key lookup, cheap enough for every socket frame. */
export async function isSessionLive(db: Queryable, sessionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('operator_sessions')
    .innerJoin('operators', 'operators.id', 'operator_sessions.operator_id')
    .select('token_hash')
    .where('token_hash', '=', sessionId)
    .where('expires_at', '>', new Date())
    .where('operators.deactivated_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Logout: deletes the session and has every node cut the consoles connected with it. */
export async function sessionEnder(ctx: DomainContext, token: string): Promise<void> {
  const id = sessionIdOf(token);
  const ended = await ctx.db
    .deleteFrom('operator_sessions')
    .where('token_hash', '=', id)
    .returning('operator_id')
    .executeTakeFirst();
  if (ended)
    await ctx.bus.publish({
      type: 'operator.sessions.ended',
      operatorId: ended.operator_id,
      sessionIds: [id],
    });
}

/**
 * Ends every session of one operator — for deactivation or a password reset —
 * and has every node cut that operator's consoles. Returns how many there were.
 */
export async function operatorSessionsEnder(ctx: DomainContext, operatorId: string): Promise<number> {
  const ended = await ctx.db
    .deleteFrom('operator_sessions')
    .where('operator_id', '=', operatorId)
    .executeTakeFirst();
  await ctx.bus.publish({ type: 'operator.sessions.ended', operatorId, sessionIds: null });
  return Number(ended.numDeletedRows);
}

/**
 * Ends every session of one operator but `keepSessionId` (a password change
 * keeps the session it was made in), in the caller's transaction; returns the
 * ids ended, to announce with `announceSessionsEnded` after the commit.
 */
export async function otherSessionsDeleter(
  db: Queryable,
  operatorId: string,
  keepSessionId: string | null,
): Promise<string[]> {
  let query = db.deleteFrom('operator_sessions').where('operator_id', '=', operatorId);
  if (keepSessionId) query = query.where('token_hash', '<>', keepSessionId);
  const rows = await query.returning('token_hash').execute();
  return rows.map((r) => r.token_hash);
}

/** Has every node cut the consoles of these ended sessions (all of the operator's when null). */
export async function announceSessionsEnded(
  ctx: DomainContext,
  operatorId: string,
  sessionIds: string[] | null,
): Promise<void> {
  if (sessionIds?.length === 0) return;
  await ctx.bus.publish({ type: 'operator.sessions.ended', operatorId, sessionIds });
}

/** Ends one of the operator's own sessions (the sessions list's "sign out"); false when it is not theirs or gone. */
export async function ownSessionEnder(
  ctx: DomainContext,
  operatorId: string,
  sessionId: string,
): Promise<boolean> {
  const ended = await ctx.db
    .deleteFrom('operator_sessions')
    .where('token_hash', '=', sessionId)
    .where('operator_id', '=', operatorId)
    .returning('token_hash')
    .executeTakeFirst();
  if (ended) await announceSessionsEnded(ctx, operatorId, [sessionId]);
  return ended !== undefined;
}

/** The operator's live sessions, most recently used first. */
export async function listOwnSessions(db: Queryable, operatorId: string) {
  return db
    .selectFrom('operator_sessions')
    .select(['token_hash', 'user_agent', 'created_at', 'last_seen_at'])
    .where('operator_id', '=', operatorId)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * Deletes sessions past their expiry. Any node may run it at any time: the
 * delete is idempotent and touches only dead rows (by their index). Sockets of
 * an expired session are already cut by their own node when it expires.
 */
export async function expiredSessionsSweeper(db: Queryable, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('operator_sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Sweeps expired sessions every `intervalMs` on this node (the first sweep at
 * a random moment within the first interval, so nodes started together do not
 * sweep together). Returns a function that stops it.
 */
export function scheduleExpiredSessionSweeps(
  db: Queryable,
  log: Logger,
  intervalMs = SESSION_SWEEP_INTERVAL_MS,
): () => void {
  let timer: NodeJS.Timeout;
  const next = (delay: number) => {
    timer = setTimeout(() => {
      expiredSessionsSweeper(db).then(
        (deleted) => {
          if (deleted > 0) log.info({ deleted }, 'expired operator sessions deleted');
        },
        (error: unknown) => log.warn({ err: error }, 'could not delete expired operator sessions'),
      );
      next(intervalMs);
    }, delay);
    timer.unref();
  };
  next(Math.random() * intervalMs);
  return () => clearTimeout(timer);
}
