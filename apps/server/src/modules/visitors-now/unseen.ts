/**
 * Whether a visitor has operator messages they have not seen: public operator messages in their open
 * conversation past their read mark (`visitor_read_seq`, operators' numbering). A chat an operator
 * started from "visitors now" is such a message until the visitor reads it. The widget session
 * carries the count (the frame shows the last as a bubble by the launcher), and the tracking ingest
 * answers `TrackResponse.unseen` from it, so the loader opens the frame quietly.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../db/database.js';

/** The unseen operator messages of the visitor `visitorId` names: a value, or a column of an outer query. */
const unseenMessagesOf = (visitorId: string | RawBuilder<unknown>) => sql`
    SELECT 1
    FROM conversations c
    JOIN messages m ON m.conversation_id = c.id AND m.seq > c.visitor_read_seq
    WHERE c.visitor_id = ${visitorId} AND c.status = 'open'
      AND m.visibility = 'public' AND m.author_kind = 'operator'`;

/** As a column of a query over visitors: true when `visitorId` (e.g. sql.ref('v.id')) has any. */
export const hasUnseenOperatorMessages = (visitorId: RawBuilder<unknown>) =>
  sql<boolean>`EXISTS (${unseenMessagesOf(visitorId)})`;

export async function countUnseenOperatorMessages(db: Queryable, visitorId: string): Promise<number> {
  const { rows } = await sql<{ unseen: number }>`
    SELECT count(*)::int AS unseen FROM (${unseenMessagesOf(visitorId)}) unseen`.execute(db);
  return rows[0]?.unseen ?? 0;
}
