/**
 * The email sweeps every node runs now and then: unseen replies, missed
 * chats, owners' digests. Each claims its conversations with
 * `FOR UPDATE … SKIP LOCKED` and marks them in the same transaction as the
 * outbox rows it writes, so two nodes never queue the same mail and a
 * message is never mailed twice. `now` is a parameter: tests drive the clock.
 */
import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Logger } from '../../../logger.js';
import { enqueue } from '../../../outbox/enqueue.js';
import { digestsQueuer } from './digest.js';
import { noticeRecipients } from './queue.js';
import { DEFAULT_EMAIL_SETTINGS } from './settings.js';

export const MAIL_SWEEP_MS = 30_000;
/** Replies older than this are not mailed any more (a sweep after a long outage must not mail last month's chats). */
const UNSEEN_HORIZON = '2 days';

/**
 * Operator replies the visitor has not read for the site's `unseenMinutes` go by email, all of a
 * conversation's unseen replies in one mail. `emailed_through_seq` moves past them in the same
 * transaction: the next mail starts after them.
 */
export async function unseenRepliesQueuer(db: Db, now: Date = new Date()): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: string; after_seq: number; through_seq: number }>`
      WITH candidates AS (
        SELECT c.id, greatest(c.visitor_read_seq, c.emailed_through_seq) AS after_seq,
          CASE WHEN jsonb_typeof(s.settings -> 'email' -> 'unseenMinutes') = 'number'
            THEN (s.settings -> 'email' ->> 'unseenMinutes')::int ELSE ${DEFAULT_EMAIL_SETTINGS.unseenMinutes} END AS minutes
        FROM conversations c
        JOIN visitors v ON v.id = c.visitor_id
        JOIN sites s ON s.id = c.site_id
        WHERE v.email IS NOT NULL
          AND c.last_message_at > ${now}::timestamptz - ${UNSEEN_HORIZON}::interval
          AND c.last_message_author_kind IS NOT NULL
          AND greatest(c.visitor_read_seq, c.emailed_through_seq) < c.last_seq
        FOR UPDATE OF c SKIP LOCKED
      ),
      due AS (
        SELECT k.id, k.after_seq,
          (SELECT max(m.seq) FROM messages m
            WHERE m.conversation_id = k.id AND m.author_kind = 'operator' AND m.visibility = 'public'
              AND m.seq > k.after_seq) AS through_seq
        FROM candidates k
        WHERE k.minutes > 0 AND EXISTS (
          SELECT 1 FROM messages m
          WHERE m.conversation_id = k.id AND m.author_kind = 'operator' AND m.visibility = 'public'
            AND m.seq > k.after_seq
            AND m.created_at <= ${now}::timestamptz - make_interval(mins => k.minutes)
            AND m.created_at > ${now}::timestamptz - ${UNSEEN_HORIZON}::interval)
      )
      UPDATE conversations c SET emailed_through_seq = due.through_seq
      FROM due WHERE c.id = due.id
      RETURNING c.id, due.after_seq, due.through_seq`.execute(tx);
    for (const row of rows) {
      await enqueue(tx, {
        topic: 'email.send',
        payload: {
          kind: 'unseen-replies',
          conversationId: row.id,
          afterSeq: row.after_seq,
          throughSeq: row.through_seq,
        },
      });
    }
    return rows.length;
  });
}

/**
 * A chat that waited past its site's escalation limit (routing settings) with no operator answer
 * at all is a missed chat: the site's operators who want it are told, once per conversation.
 */
export async function missedChatsQueuer(db: Db, now: Date = new Date()): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: string; site_id: string }>`
      WITH due AS (
        SELECT c.id FROM conversations c
        LEFT JOIN site_routing r ON r.site_id = c.site_id
        WHERE c.status = 'open' AND c.channel = 'chat' AND c.waiting_since IS NOT NULL
          AND c.missed_notified_at IS NULL
          AND c.waiting_since <= ${now}::timestamptz - make_interval(secs => coalesce(r.escalate_after_seconds, 60))
          AND NOT EXISTS (SELECT 1 FROM messages m
            WHERE m.conversation_id = c.id AND m.author_kind = 'operator' AND m.visibility = 'public')
        FOR UPDATE OF c SKIP LOCKED
      )
      UPDATE conversations c SET missed_notified_at = ${now}
      FROM due WHERE c.id = due.id
      RETURNING c.id, c.site_id`.execute(tx);
    let queued = 0;
    for (const row of rows) {
      for (const operatorId of await noticeRecipients(tx, row.site_id, 'missed-chat')) {
        await enqueue(tx, {
          topic: 'email.send',
          payload: { kind: 'missed-chat', conversationId: row.id, operatorId },
        });
        queued++;
      }
    }
    return queued;
  });
}

/** One round of every sweep. */
export async function mailSweeper(db: Db, now: Date = new Date()) {
  return {
    unseen: await unseenRepliesQueuer(db, now),
    missed: await missedChatsQueuer(db, now),
    digests: await digestsQueuer(db, now),
  };
}

/** Sweeps every `intervalMs` on this node until the returned stop is called. */
export function scheduleMailSweeps(db: Db, log: Logger, intervalMs = MAIL_SWEEP_MS): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout;
  const next = () => {
    timer = setTimeout(() => {
      mailSweeper(db)
        .then((counts) => {
          if (counts.unseen + counts.missed + counts.digests > 0)
            log.info(counts, 'mail sweep queued emails');
        })
        .catch((error: unknown) => log.warn({ err: error }, 'mail sweep failed'))
        .finally(() => {
          if (!stopped) next();
        });
    }, intervalMs);
    timer.unref();
  };
  next();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
