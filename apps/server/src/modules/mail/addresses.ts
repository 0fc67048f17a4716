/**
 * Reply addresses: `reply+<token>@<domain>`, one per conversation and side (mail_threads). Sending
 * (the Reply-To of every email about a conversation) and receiving (which conversation a reply
 * belongs to) both go through here, so the two can never disagree on the format.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const TOKEN_LENGTH = 26; // 130 bits

/** A new unguessable token (lowercase base32: survives mail systems that change the local part's case). */
export function newThreadToken(): string {
  const bytes = randomBytes(TOKEN_LENGTH);
  let token = '';
  for (const byte of bytes) token += BASE32[byte & 31];
  return token;
}

export function replyAddress(token: string, domain: string): string {
  return `reply+${token}@${domain}`;
}

/**
 * The token of an address Parley gave out, or null. Case-insensitive, and the domain must be ours:
 * `Reply+ABC…@Mail.Shop.Example` is ours, `reply+abc…@elsewhere` is not.
 */
export function tokenFromAddress(address: string, domain: string): string | null {
  const match = /^reply\+([a-z2-7]{26})@(.+)$/i.exec(address.trim());
  if (!match?.[1] || !match[2]) return null;
  if (match[2].toLowerCase() !== domain.toLowerCase()) return null;
  return match[1].toLowerCase();
}

export interface MailThread {
  token: string;
  conversationId: string;
  /** Null: the visitor's address; else the operator's own. */
  operatorId: string | null;
}

/** The conversation side's token, created on first use (two nodes racing get the same one). */
export async function ensureThreadToken(
  db: Db,
  conversationId: string,
  operatorId: string | null,
): Promise<string> {
  const inserted = await sql<{ token: string }>`
    INSERT INTO mail_threads (token, conversation_id, operator_id)
    VALUES (${newThreadToken()}, ${conversationId}, ${operatorId})
    ON CONFLICT (conversation_id, coalesce(operator_id, '00000000-0000-0000-0000-000000000000'::uuid)) DO NOTHING
    RETURNING token`.execute(db);
  if (inserted.rows[0]) return inserted.rows[0].token;
  let query = db.selectFrom('mail_threads').select('token').where('conversation_id', '=', conversationId);
  query = operatorId ? query.where('operator_id', '=', operatorId) : query.where('operator_id', 'is', null);
  return (await query.executeTakeFirstOrThrow()).token;
}

export async function findThread(db: Db, token: string): Promise<MailThread | null> {
  const row = await db
    .selectFrom('mail_threads')
    .select(['token', 'conversation_id', 'operator_id'])
    .where('token', '=', token)
    .executeTakeFirst();
  return row ? { token: row.token, conversationId: row.conversation_id, operatorId: row.operator_id } : null;
}
