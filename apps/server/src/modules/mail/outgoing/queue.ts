/**
 * Writing `email.send` rows, each inside the transaction of what causes it:
 * a new offline request, a closed conversation, the sweeps (sweeps.ts), a
 * visitor's transcript request. Who is told is decided here: operators who
 * work on the site (owners and admins work on every site), are active, and
 * want this kind of mail.
 */
import { sql } from 'kysely';
import type { Queryable } from '../../../db/database.js';
import { enqueue } from '../../../outbox/enqueue.js';
import { readSiteSettings } from '../../sites/presenter.js';

/** Operators of a site who want this kind of notification. */
export async function noticeRecipients(
  db: Queryable,
  siteId: string,
  kind: 'offline-request' | 'missed-chat',
): Promise<string[]> {
  const column =
    kind === 'offline-request' ? sql.ref('o.mail_offline_requests') : sql.ref('o.mail_missed_chats');
  const { rows } = await sql<{ id: string }>`
    SELECT o.id FROM operators o
    WHERE o.deactivated_at IS NULL AND ${column}
      AND (o.role IN ('owner', 'admin')
        OR EXISTS (SELECT 1 FROM site_operators so WHERE so.site_id = ${siteId} AND so.operator_id = o.id))
    ORDER BY o.created_at`.execute(db);
  return rows.map((r) => r.id);
}

/** Tells the site's operators of a new request left while nobody was online. */
export async function offlineRequestNoticesQueuer(db: Queryable, conversationId: string): Promise<number> {
  const conversation = await db
    .selectFrom('conversations')
    .select(['site_id', 'channel'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (conversation?.channel !== 'offline_request') return 0;
  const operators = await noticeRecipients(db, conversation.site_id, 'offline-request');
  for (const operatorId of operators) {
    await enqueue(db, {
      topic: 'email.send',
      payload: { kind: 'offline-request', conversationId, operatorId },
    });
  }
  return operators.length;
}

/** A conversation just closed: its transcript goes to the visitor when the site says so and their email is known. */
export async function transcriptOnCloseQueuer(db: Queryable, conversationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('conversations as c')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .innerJoin('visitors as v', 'v.id', 'c.visitor_id')
    .select(['c.last_seq', 'c.last_public_seq', 's.settings', 'v.email'])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  if (!row?.email || row.last_public_seq === 0 || !readSiteSettings(row.settings).email.transcriptOnClose)
    return false;
  await enqueue(db, {
    topic: 'email.send',
    payload: { kind: 'transcript', conversationId, email: row.email, throughSeq: row.last_seq },
  });
  return true;
}
