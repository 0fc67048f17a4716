/**
 * Owners' digest of a site (site setting: off, daily, weekly): how many
 * conversations, how fast the first answer came (median), how many chats
 * got no answer, and how many requests wait now. `digestsQueuer` runs on
 * every node's sweep; the `mail_digests` row makes each period's digest
 * queued once, by whichever node gets there first, in one transaction with
 * its outbox rows.
 */
import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import { enqueue } from '../../../outbox/enqueue.js';
import type { EmailSend } from '../../../outbox/topics.js';
import { readSiteSettings } from '../../sites/presenter.js';
import { renderHtml, renderText } from '../templates/layout.js';
import { fill, MAIL_STRINGS } from '../templates/strings.js';
import type { ComposedMail } from './compose.js';
import { fromHeader, type MailConfig } from './config.js';

const DAY_MS = 24 * 3600 * 1000;

/** The last whole period before `now` (UTC days; weeks from Monday). */
export function lastPeriod(period: 'daily' | 'weekly', now: Date): { from: Date; to: Date } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === 'daily') return { from: new Date(today - DAY_MS), to: new Date(today) };
  const monday = today - ((now.getUTCDay() + 6) % 7) * DAY_MS;
  return { from: new Date(monday - 7 * DAY_MS), to: new Date(monday) };
}

export interface DigestFigures {
  conversations: number;
  medianFirstResponseSeconds: number | null;
  missed: number;
  waiting: number;
}

export async function digestFigures(db: Db, siteId: string, from: Date, to: Date): Promise<DigestFigures> {
  const { rows } = await sql<{
    conversations: number;
    median: number | null;
    missed: number;
    waiting: number;
  }>`
    WITH period AS (
      SELECT c.id, c.created_at,
        (SELECT min(m.created_at) FROM messages m
          WHERE m.conversation_id = c.id AND m.author_kind = 'operator' AND m.visibility = 'public') AS first_reply
      FROM conversations c
      WHERE c.site_id = ${siteId} AND c.created_at >= ${from} AND c.created_at < ${to}
    )
    SELECT
      (SELECT count(*)::int FROM period) AS conversations,
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_reply - created_at))
        FROM period WHERE first_reply IS NOT NULL)::float8 AS median,
      (SELECT count(*)::int FROM period WHERE first_reply IS NULL) AS missed,
      (SELECT count(*)::int FROM conversations
        WHERE site_id = ${siteId} AND status = 'open' AND waiting_since IS NOT NULL) AS waiting`.execute(db);
  const row = rows[0];
  return {
    conversations: row?.conversations ?? 0,
    medianFirstResponseSeconds: row?.median == null ? null : Math.round(row.median),
    missed: row?.missed ?? 0,
    waiting: row?.waiting ?? 0,
  };
}

function duration(seconds: number | null, none: string): string {
  if (seconds == null) return none;
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export async function digestBody(
  db: Db,
  config: MailConfig,
  payload: Extract<EmailSend, { kind: 'digest' }>,
): Promise<ComposedMail | null> {
  const [site, owner] = await Promise.all([
    db
      .selectFrom('sites')
      .select(['id', 'name', 'settings'])
      .where('id', '=', payload.siteId)
      .executeTakeFirst(),
    db
      .selectFrom('operators')
      .select(['email', 'mail_digest', 'mail_key', 'deactivated_at'])
      .where('id', '=', payload.operatorId)
      .executeTakeFirst(),
  ]);
  if (!site || !owner || owner.deactivated_at || !owner.mail_digest) return null;
  const from = new Date(payload.from);
  const to = new Date(payload.to);
  const figures = await digestFigures(db, site.id, from, to);
  const settings = readSiteSettings(site.settings);
  const lang = settings.language === 'auto' ? 'en' : settings.language;
  const strings = MAIL_STRINGS[lang];
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const values = { site: site.name, from: day.format(from), to: day.format(new Date(to.getTime() - 1)) };
  const unsubscribe = `${config.publicUrl}/mail/unsubscribe?key=${encodeURIComponent(owner.mail_key)}&kind=digest`;
  const body = {
    lang,
    title: fill(
      payload.period === 'daily' ? strings.digestSubjectDaily : strings.digestSubjectWeekly,
      values,
    ),
    siteName: site.name,
    intro: fill(strings.digestIntro, values),
    facts: [
      { label: strings.digestConversations, value: String(figures.conversations) },
      {
        label: strings.digestFirstResponse,
        value: duration(figures.medianFirstResponseSeconds, strings.noData),
      },
      { label: strings.digestMissed, value: String(figures.missed) },
      { label: strings.digestWaiting, value: String(figures.waiting) },
    ],
    action: { label: strings.openInConsole, url: `${config.publicUrl}/console/` },
    notes: [strings.unsubscribeWhy],
    unsubscribe: { label: strings.unsubscribe, url: unsubscribe },
  };
  return {
    from: fromHeader(config, site.name),
    to: owner.email,
    subject: body.title,
    text: renderText(body),
    html: renderHtml(body),
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    conversationId: null,
  };
}

/** Queues the digests whose period has ended and that no node has queued yet; returns how many mails. */
export async function digestsQueuer(db: Db, now: Date = new Date()): Promise<number> {
  const sites = await db.selectFrom('sites').select(['id', 'settings']).execute();
  let queued = 0;
  for (const site of sites) {
    const period = readSiteSettings(site.settings).email.digest;
    if (period === 'off') continue;
    const { from, to } = lastPeriod(period, now);
    queued += await db.transaction().execute(async (tx) => {
      const claimed = await tx
        .insertInto('mail_digests')
        .values({ site_id: site.id, period_start: from })
        .onConflict((oc) => oc.doNothing())
        .returning('site_id')
        .executeTakeFirst();
      if (!claimed) return 0;
      // Owners work on every site.
      const owners = await tx
        .selectFrom('operators')
        .select('id')
        .where('role', '=', 'owner')
        .where('deactivated_at', 'is', null)
        .where('mail_digest', '=', true)
        .execute();
      for (const owner of owners) {
        await enqueue(tx, {
          topic: 'email.send',
          payload: {
            kind: 'digest',
            siteId: site.id,
            operatorId: owner.id,
            from: from.toISOString(),
            to: to.toISOString(),
            period,
          },
        });
      }
      return owners.length;
    });
  }
  return queued;
}
