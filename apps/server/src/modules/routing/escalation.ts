/**
 * Escalation of a chat that waits for an answer. After the site's
 * `alert_after_seconds` without a reply the assignee gets a louder alert
 * (level 1, `alert`); after `escalate_after_seconds` every online operator of
 * the site sees it marked and may take it (level 2, `open`). A public reply
 * resets the level (append-message.ts). The waiting time is the server's
 * `waiting_since`, never a console's clock.
 *
 * Every node sweeps now and then; the UPDATE … RETURNING raises each level
 * once, so exactly one node announces each change. `now` is a parameter:
 * tests drive the clock instead of sleeping.
 */
import { sql } from 'kysely';
import type { Logger } from '../../logger.js';
import type { DomainContext } from '../context.js';
import { publishConversationById } from './announce.js';

export const ESCALATION_SWEEP_MS = 5_000;

/** Raises the escalation of every chat whose wait crossed a threshold by `now`; returns their ids. */
export async function escalationSweeper(ctx: DomainContext, now: Date = new Date()): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH due AS (
      SELECT c.id,
        CASE
          WHEN c.waiting_since <= ${now}::timestamptz - make_interval(secs => coalesce(r.escalate_after_seconds, 60)) THEN 2
          WHEN c.waiting_since <= ${now}::timestamptz - make_interval(secs => coalesce(r.alert_after_seconds, 30)) THEN 1
          ELSE 0
        END AS level
      FROM conversations c
      LEFT JOIN site_routing r ON r.site_id = c.site_id
      WHERE c.status = 'open' AND c.channel = 'chat' AND c.waiting_since IS NOT NULL AND c.escalation < 2
    )
    UPDATE conversations c SET escalation = due.level
    FROM due
    WHERE c.id = due.id AND due.level > c.escalation
    RETURNING c.id`.execute(ctx.db);
  for (const { id } of rows) await publishConversationById(ctx, id);
  return rows.map((r) => r.id);
}

/** Sweeps every `intervalMs` on this node until the returned stop is called. */
export function scheduleEscalationSweeps(ctx: DomainContext, log: Logger, intervalMs = ESCALATION_SWEEP_MS) {
  let stopped = false;
  let timer: NodeJS.Timeout;
  const next = () => {
    timer = setTimeout(() => {
      escalationSweeper(ctx)
        .catch((error: unknown) => log.warn({ err: error }, 'escalation sweep failed'))
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
