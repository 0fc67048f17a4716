/**
 * `team.link` where Parley can send email: the link is still left in the
 * console (owners see it, as without SMTP) and also mailed to its person,
 * with the row's Message-ID. A link revoked, used or re-sent since the row
 * was written is not mailed.
 */
import type { Db } from '../../../db/database.js';
import type { OutboxHandler, TeamLinkDelivery } from '../../../outbox/topics.js';
import { readSiteSettings } from '../../sites/presenter.js';
import { teamLinkDeliverer } from '../../team/delivery.js';
import { linkState, tokenHashOf, tokenOfUrl } from '../../team/links.js';
import { renderHtml, renderText } from '../templates/layout.js';
import { MAIL_STRINGS } from '../templates/strings.js';
import { fromHeader, type MailConfig, messageIdOf } from './config.js';
import { alreadySent, recordDelivery } from './sender.js';
import type { MailTransport } from './transport.js';

export function teamLinkMailer(
  db: Db,
  config: MailConfig,
  transport: MailTransport,
): OutboxHandler<TeamLinkDelivery> {
  const showInConsole = teamLinkDeliverer(db);
  return async (job) => {
    await showInConsole(job);
    if (await alreadySent(db, job.id)) return;
    const link = await db
      .selectFrom('team_links')
      .select(['id', 'token_hash', 'used_at', 'revoked_at', 'expires_at', 'site_ids'])
      .where('id', '=', job.payload.linkId)
      .executeTakeFirst();
    if (!link || link.token_hash !== tokenHashOf(tokenOfUrl(job.payload.url))) return;
    if (linkState(link) !== 'valid') return;
    // The language of the first site the person is invited to, when it has one; else English.
    const site = link.site_ids[0]
      ? await db.selectFrom('sites').select('settings').where('id', '=', link.site_ids[0]).executeTakeFirst()
      : undefined;
    const language = site ? readSiteSettings(site.settings).language : 'auto';
    const lang = language === 'auto' ? 'en' : language;
    const strings = MAIL_STRINGS[lang];
    const invitation = job.payload.kind === 'invitation';
    const body = {
      lang,
      title: invitation ? strings.invitationSubject : strings.resetSubject,
      siteName: 'Parley',
      intro: invitation ? strings.invitationIntro : strings.resetIntro,
      action: { label: invitation ? strings.invitationAction : strings.resetAction, url: job.payload.url },
      notes: [strings.linkNote],
    };
    const messageId = messageIdOf(config, job.id);
    await transport.send(
      {
        from: fromHeader(config, 'Parley'),
        to: job.payload.email,
        subject: body.title,
        text: renderText(body),
        html: renderHtml(body),
        messageId,
      },
      job.signal,
    );
    await recordDelivery(db, {
      outboxId: job.id,
      messageId,
      kind: `team.${job.payload.kind}`,
      recipient: job.payload.email,
      conversationId: null,
    });
  };
}
