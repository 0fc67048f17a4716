/**
 * `visitorMerger`: an anonymous profile that turns out to be a known user (a signed identify) is
 * folded into that user's profile, the survivor, in the identify's transaction. Everything the
 * profile owned moves: conversations (with their messages, files and tags), visits, page views and
 * events; contact fields and attributes fill the survivor's where empty. Nothing is copied, so
 * nothing shows twice. The merged profile stays as a pointer (`merged_into`) whose tokens are
 * revoked (`token_generation` + 1): its live sockets close, and a token it handed out, which was
 * current at the merge, still finds the survivor when a widget starts a session with it
 * (`findSurvivorOfMerged` in visitors/queries.ts).
 *
 * Two open conversations (the user chatting on another device and in this browser): one visitor may
 * have one open conversation, so the one idle longer is closed, with an internal note saying why,
 * and the visitor carries on in the other. Moving one's messages into the other was the
 * alternative, but each conversation numbers its messages (seq, the visitor's public seq) and read
 * receipts and clients' resume points hang on those numbers; closing keeps every number as it was,
 * and the closed one stays in the history of both the visitor and the operators.
 */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { VisitorRow } from '../../db/schema.js';
import { appendMessageInTransaction } from '../conversations/append-message.js';

/** Tables with a `visitor_id` the merger moves; `merge.test.ts` checks every foreign key to visitors is here. */
export const MOVED_TABLES = ['conversations', 'visits', 'page_views', 'visitor_events'] as const;

export interface MergeOutcome {
  /** Conversations that now belong to the survivor (their rows changed: consoles are told). */
  movedConversationIds: string[];
  /** The open conversation closed because the survivor had one too, if any. */
  closedConversationId: string | null;
}

/**
 * Moves `from` into `into`. Both rows must be locked by the caller's transaction (FOR UPDATE), so
 * no message, page view or second identify lands on `from` meanwhile.
 */
export async function visitorMerger(tx: Tx, from: VisitorRow, into: VisitorRow): Promise<MergeOutcome> {
  const closedConversationId = await closeOneOfTwoOpen(tx, from, into);
  const moved = await tx
    .updateTable('conversations')
    .set({ visitor_id: into.id })
    .where('visitor_id', '=', from.id)
    .returning('id')
    .execute();
  // The visitor's own messages and files are theirs by author: a retried send after the merge must
  // find its original under the survivor (the clientId check), and their files stay theirs.
  await tx
    .updateTable('messages')
    .set({ author_id: into.id })
    .where('author_kind', '=', 'visitor')
    .where('author_id', '=', from.id)
    .execute();
  await tx
    .updateTable('files')
    .set({ uploader_id: into.id })
    .where('uploader_kind', '=', 'visitor')
    .where('uploader_id', '=', from.id)
    .execute();

  await tx.updateTable('visits').set({ visitor_id: into.id }).where('visitor_id', '=', from.id).execute();
  // Visit numbers stay dense per visitor, in time order (migration 017).
  await sql`
    UPDATE visits v SET number = r.n
    FROM (SELECT id, row_number() OVER (ORDER BY started_at, id)::int AS n FROM visits WHERE visitor_id = ${into.id}) r
    WHERE v.id = r.id AND v.number <> r.n`.execute(tx);
  // Item ids are the loader's, unique per visitor: one both profiles happen to share gets a suffix
  // rather than being dropped (two different page views, not one seen twice).
  for (const table of ['page_views', 'visitor_events'] as const) {
    await sql`
      UPDATE ${sql.table(table)} t SET visitor_id = ${into.id},
        client_id = CASE WHEN EXISTS (
          SELECT 1 FROM ${sql.table(table)} s WHERE s.visitor_id = ${into.id} AND s.client_id = t.client_id
        ) THEN left(t.client_id, 60) || '~' || left(${from.id}, 8) ELSE t.client_id END
      WHERE t.visitor_id = ${from.id}`.execute(tx);
  }

  const fromIsNewer = from.last_seen_at > into.last_seen_at;
  const newer = fromIsNewer ? from : into;
  const older = fromIsNewer ? into : from;
  const fromIsFirst = from.first_seen_at < into.first_seen_at;
  const { rows } = await sql<{ visits: number }>`
    SELECT count(*)::int AS visits FROM visits WHERE visitor_id = ${into.id}`.execute(tx);
  await tx
    .updateTable('visitors')
    .set({
      // Contacts the user gave: the survivor's stand, the merged profile's fill the gaps.
      name: into.name ?? from.name,
      email: into.email ?? from.email,
      email_source: into.email ? into.email_source : from.email_source,
      phone: into.phone ?? from.phone,
      attributes: JSON.stringify({ ...objectOf(from.attributes), ...objectOf(into.attributes) }),
      referrer: into.referrer ?? from.referrer,
      // first_seen_at is written once (its column type says so) but a merge moves it back in time.
      first_seen_at: sql`least(first_seen_at, ${from.first_seen_at})` as never,
      last_seen_at: newer.last_seen_at,
      first_touch: jsonOrNull(
        (fromIsFirst ? from.first_touch : into.first_touch) ?? older.first_touch ?? newer.first_touch,
      ),
      last_touch: jsonOrNull(newer.last_touch ?? older.last_touch),
      visit_count: rows[0]?.visits ?? into.visit_count,
      // Where the user is now and on what: the profile seen last knows.
      current_url: newer.current_url ?? older.current_url,
      current_title: newer.current_url ? newer.current_title : older.current_title,
      user_agent: newer.user_agent ?? older.user_agent,
      browser: newer.browser ?? older.browser,
      os: newer.os ?? older.os,
      device: newer.device ?? older.device,
      language: newer.language ?? older.language,
      country: newer.country ?? older.country,
      region: newer.region ?? older.region,
      city: newer.city ?? older.city,
      cart_amount: newer.cart_amount ?? older.cart_amount,
      cart_currency: newer.cart_amount ? newer.cart_currency : older.cart_currency,
    })
    .where('id', '=', into.id)
    .execute();
  await tx
    .updateTable('visitors')
    .set((eb) => ({
      merged_into: into.id,
      token_generation: eb('token_generation', '+', 1),
      visit_count: 0,
    }))
    .where('id', '=', from.id)
    .execute();
  return { movedConversationIds: moved.map((c) => c.id), closedConversationId };
}

/** A touch point as the jsonb column takes it: JSON text, or SQL NULL (not JSON `null`) for none. */
const jsonOrNull = (value: unknown) => (value ? JSON.stringify(value) : null);

function objectOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** When both have an open conversation, closes the one idle longer (see the module comment). */
async function closeOneOfTwoOpen(tx: Tx, from: VisitorRow, into: VisitorRow): Promise<string | null> {
  const open = await tx
    .selectFrom('conversations')
    .select(['id', 'last_activity_at'])
    .where('visitor_id', 'in', [from.id, into.id])
    .where('status', '=', 'open')
    .orderBy('last_activity_at', 'asc')
    .forUpdate()
    .execute();
  const idle = open.length === 2 ? open[0] : undefined;
  if (!idle) return null;
  await appendMessageInTransaction(tx, {
    conversationId: idle.id,
    authorKind: 'system',
    authorId: null,
    clientId: null,
    visibility: 'internal',
    text: 'Closed automatically: the visitor was identified as a known user who has another open conversation, where the chat continues.',
  });
  await tx
    .updateTable('conversations')
    .set({ status: 'closed', closed_at: new Date(), waiting_since: null, unanswered_count: 0 })
    .where('id', '=', idle.id)
    .execute();
  return idle.id;
}
