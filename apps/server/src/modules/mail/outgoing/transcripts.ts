/**
 * A visitor asks for their conversation by email (the widget's control).
 * The latest conversation of the visitor, through its last message now; an
 * address typed in the widget is kept as the visitor's email when they had
 * none. At most a few per conversation in ten minutes: the button is not a
 * way to mail-bomb an address.
 */
import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import { enqueue } from '../../../outbox/enqueue.js';
import { badRequest, rateLimited } from '../../errors.js';

const TRANSCRIPTS_PER_TEN_MINUTES = 3;

export async function transcriptRequester(
  db: Db,
  props: { visitorId: string; email?: string },
): Promise<{ email: string }> {
  return db.transaction().execute(async (tx) => {
    const visitor = await tx
      .selectFrom('visitors')
      .select(['id', 'email'])
      .where('id', '=', props.visitorId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const email = props.email ?? visitor.email;
    if (!email) throw badRequest('Enter your email address to get the conversation');
    const conversation = await tx
      .selectFrom('conversations')
      .select(['id', 'last_seq', 'last_public_seq'])
      .where('visitor_id', '=', visitor.id)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!conversation || conversation.last_public_seq === 0)
      throw badRequest('There is no conversation to send yet');
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM outbox
      WHERE topic = 'email.send' AND payload ->> 'kind' = 'transcript'
        AND payload ->> 'conversationId' = ${conversation.id}
        AND created_at > now() - interval '10 minutes'`.execute(tx);
    if ((rows[0]?.n ?? 0) >= TRANSCRIPTS_PER_TEN_MINUTES)
      throw rateLimited('The conversation was just sent; wait a few minutes');
    if (!visitor.email) {
      await tx
        .updateTable('visitors')
        .set({ email, email_source: 'chat' })
        .where('id', '=', visitor.id)
        .execute();
    }
    await enqueue(tx, {
      topic: 'email.send',
      payload: {
        kind: 'transcript',
        conversationId: conversation.id,
        email,
        throughSeq: conversation.last_seq,
      },
    });
    return { email };
  });
}
