/**
 * From an `email.send` payload to a mail: loads what it names and writes it
 * in the site's language. Returns null when there is nothing left to send
 * (the visitor read the replies meanwhile, the operator switched the kind
 * off, an address is gone): the row is then done without a mail.
 *
 * Only public messages are ever read here (`visibility = 'public'`): an
 * internal note cannot reach any mail, whoever it is for.
 */
import { API_PATHS, LANGUAGES, type Language } from '@parley/protocol';
import type { Db } from '../../../db/database.js';
import type { EmailSend } from '../../../outbox/topics.js';
import { readSiteSettings } from '../../sites/presenter.js';
import { ensureThreadToken, replyAddress } from '../addresses.js';
import { type MailBody, type MailLine, renderHtml, renderText } from '../templates/layout.js';
import { fill, MAIL_STRINGS } from '../templates/strings.js';
import { conversationRootId, fromHeader, type MailConfig } from './config.js';
import { digestBody } from './digest.js';
import type { OutgoingMail } from './transport.js';

/** A composed mail, before its Message-ID (which comes from the outbox row). */
export type ComposedMail = Omit<OutgoingMail, 'messageId'> & { conversationId: string | null };

const LANGUAGE_SET = new Set<string>(LANGUAGES);

/** The site's language, or with 'auto' the visitor's browser's when we speak it, else English. */
export function mailLanguage(siteLanguage: string, visitorLanguage: string | null): Language {
  if (siteLanguage !== 'auto' && LANGUAGE_SET.has(siteLanguage)) return siteLanguage as Language;
  const visitor = visitorLanguage?.slice(0, 2).toLowerCase();
  return visitor && LANGUAGE_SET.has(visitor) ? (visitor as Language) : 'en';
}

function formatTime(lang: Language, at: Date): string {
  return `${new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(at)} UTC`;
}

async function loadConversation(db: Db, conversationId: string) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .innerJoin('visitors as v', 'v.id', 'c.visitor_id')
    .select([
      'c.id',
      'c.site_id',
      'c.assignee_id',
      'c.visitor_read_seq',
      's.name as site_name',
      's.settings as site_settings',
      'v.name as visitor_name',
      'v.email as visitor_email',
      'v.phone as visitor_phone',
      'v.language as visitor_language',
    ])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
}
type ConversationInfo = NonNullable<Awaited<ReturnType<typeof loadConversation>>>;

/** Public messages of a conversation in (afterSeq, throughSeq], with their authors' names. Never a note. */
async function publicLines(
  db: Db,
  conversationId: string,
  range: { afterSeq: number; throughSeq: number; authorKind?: 'operator' },
) {
  let query = db
    .selectFrom('messages as m')
    .leftJoin('operators as o', (join) =>
      join.onRef('o.id', '=', 'm.author_id').on('m.author_kind', '=', 'operator'),
    )
    .select([
      'm.seq',
      'm.author_kind',
      'm.author_id',
      'm.text',
      'm.attachments',
      'm.created_at',
      'o.display_name',
      'o.avatar_url',
    ])
    .where('m.conversation_id', '=', conversationId)
    .where('m.visibility', '=', 'public')
    .where('m.seq', '>', range.afterSeq)
    .where('m.seq', '<=', range.throughSeq)
    .orderBy('m.seq');
  if (range.authorKind) query = query.where('m.author_kind', '=', range.authorKind);
  return query.execute();
}
type LineRow = Awaited<ReturnType<typeof publicLines>>[number];

function toLine(row: LineRow, lang: Language, visitorLabel: string): MailLine {
  const strings = MAIL_STRINGS[lang];
  const files = (row.attachments ?? []).map((a) => `[${strings.attachment}: ${a.name}]`);
  const text = [row.text, ...files].filter(Boolean).join('\n');
  const author =
    row.author_kind === 'operator'
      ? (row.display_name ?? row.author_kind)
      : row.author_kind === 'visitor'
        ? visitorLabel
        : row.author_kind;
  return { author, time: formatTime(lang, row.created_at), text, own: row.author_kind === 'visitor' };
}

function absolute(config: MailConfig, url: string | null): string | null {
  if (!url) return null;
  return url.startsWith('/') ? `${config.publicUrl}${url}` : url;
}

function finish(
  config: MailConfig,
  body: MailBody,
  mail: Omit<ComposedMail, 'from' | 'text' | 'html' | 'subject'>,
): ComposedMail {
  return {
    ...mail,
    from: fromHeader(config, body.siteName),
    subject: body.title,
    text: renderText(body),
    html: renderHtml(body),
  };
}

/** Headers that make a mail part of its conversation's thread. */
function threading(config: MailConfig, conversationId: string) {
  const root = conversationRootId(config, conversationId);
  return { inReplyTo: root, references: [root] };
}

export async function composeMail(
  db: Db,
  config: MailConfig,
  payload: EmailSend,
): Promise<ComposedMail | null> {
  switch (payload.kind) {
    case 'unseen-replies':
      return composeUnseenReplies(db, config, payload);
    case 'transcript':
      return composeTranscript(db, config, payload);
    case 'offline-request':
    case 'missed-chat':
      return composeOperatorNotice(db, config, payload);
    case 'digest':
      return digestBody(db, config, payload);
  }
}

async function composeUnseenReplies(
  db: Db,
  config: MailConfig,
  payload: Extract<EmailSend, { kind: 'unseen-replies' }>,
): Promise<ComposedMail | null> {
  const conversation = await loadConversation(db, payload.conversationId);
  if (!conversation?.visitor_email) return null;
  // Read in the widget since the mail was queued: the visitor saw the answers there, no mail needed.
  if (conversation.visitor_read_seq >= payload.throughSeq) return null;
  const rows = await publicLines(db, conversation.id, { ...payload, authorKind: 'operator' });
  if (rows.length === 0) return null;
  const lang = visitorLanguage(conversation);
  const strings = MAIL_STRINGS[lang];
  const last = rows[rows.length - 1] as LineRow;
  const operator = last.display_name ?? conversation.site_name;
  const values = { operator, site: conversation.site_name };
  const body: MailBody = {
    lang,
    title: fill(strings.repliesSubject, values),
    siteName: conversation.site_name,
    intro: fill(strings.repliesIntro, values),
    operator: { name: operator, photoUrl: absolute(config, last.avatar_url) },
    lines: rows.map((row) => toLine(row, lang, strings.you)),
    notes: [fill(strings.replyHint, values)],
  };
  const token = await ensureThreadToken(db, conversation.id, null);
  return finish(config, body, {
    to: conversation.visitor_email,
    replyTo: replyAddress(token, config.replyDomain),
    conversationId: conversation.id,
    ...threading(config, conversation.id),
  });
}

function visitorLanguage(conversation: ConversationInfo): Language {
  return mailLanguage(readSiteSettings(conversation.site_settings).language, conversation.visitor_language);
}

async function composeTranscript(
  db: Db,
  config: MailConfig,
  payload: Extract<EmailSend, { kind: 'transcript' }>,
): Promise<ComposedMail | null> {
  const conversation = await loadConversation(db, payload.conversationId);
  if (!conversation) return null;
  const rows = await publicLines(db, conversation.id, { afterSeq: 0, throughSeq: payload.throughSeq });
  if (rows.length === 0) return null;
  const lang = visitorLanguage(conversation);
  const strings = MAIL_STRINGS[lang];
  const values = { site: conversation.site_name };
  const body: MailBody = {
    lang,
    title: fill(strings.transcriptSubject, values),
    siteName: conversation.site_name,
    intro: fill(strings.transcriptIntro, values),
    lines: rows.map((row) => toLine(row, lang, strings.you)),
    notes: [fill(strings.replyHint, { ...values, operator: conversation.site_name })],
  };
  const token = await ensureThreadToken(db, conversation.id, null);
  return finish(config, body, {
    to: payload.email,
    replyTo: replyAddress(token, config.replyDomain),
    conversationId: conversation.id,
    ...threading(config, conversation.id),
  });
}

/** The console's address of a conversation. */
export function consoleConversationUrl(config: MailConfig, conversationId: string): string {
  return `${config.publicUrl}/console/conversations/${conversationId}`;
}

/** The one-click unsubscribe link of an operator's notifications of a kind. */
export function unsubscribeUrl(config: MailConfig, mailKey: string, kind: UnsubscribeKind): string {
  return `${config.publicUrl}${API_PATHS.mailUnsubscribe}?key=${encodeURIComponent(mailKey)}&kind=${kind}`;
}
export const UNSUBSCRIBE_KINDS = ['offline-requests', 'missed-chats', 'digest'] as const;
export type UnsubscribeKind = (typeof UNSUBSCRIBE_KINDS)[number];

/** Headers of a notification's unsubscribe (RFC 2369 and RFC 8058 one-click). */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

async function composeOperatorNotice(
  db: Db,
  config: MailConfig,
  payload: Extract<EmailSend, { kind: 'offline-request' | 'missed-chat' }>,
): Promise<ComposedMail | null> {
  const [conversation, operator] = await Promise.all([
    loadConversation(db, payload.conversationId),
    db
      .selectFrom('operators')
      .select(['id', 'email', 'deactivated_at', 'mail_offline_requests', 'mail_missed_chats', 'mail_key'])
      .where('id', '=', payload.operatorId)
      .executeTakeFirst(),
  ]);
  if (!conversation || !operator || operator.deactivated_at) return null;
  const offline = payload.kind === 'offline-request';
  // Switched off since the row was written: the latest wish wins.
  if (offline ? !operator.mail_offline_requests : !operator.mail_missed_chats) return null;
  const rows = await publicLines(db, conversation.id, { afterSeq: 0, throughSeq: 2 ** 31 - 1 });
  const settings = readSiteSettings(conversation.site_settings);
  const lang = mailLanguage(settings.language, null);
  const strings = MAIL_STRINGS[lang];
  const values = { site: conversation.site_name };
  const visitorLabel = conversation.visitor_name ?? strings.visitor;
  const contacts = [conversation.visitor_email, conversation.visitor_phone].filter(Boolean).join(', ');
  const unsubscribe = unsubscribeUrl(
    config,
    operator.mail_key,
    offline ? 'offline-requests' : 'missed-chats',
  );
  const body: MailBody = {
    lang,
    title: fill(offline ? strings.offlineSubject : strings.missedSubject, values),
    siteName: conversation.site_name,
    intro: fill(offline ? strings.offlineIntro : strings.missedIntro, values),
    lines: rows.slice(-20).map((row) => toLine(row, lang, visitorLabel)),
    facts: contacts ? [{ label: strings.contacts, value: contacts }] : [],
    action: { label: strings.openInConsole, url: consoleConversationUrl(config, conversation.id) },
    notes: [strings.operatorReplyHint, strings.unsubscribeWhy],
    unsubscribe: { label: strings.unsubscribe, url: unsubscribe },
  };
  // The operator's own reply address: their answer by mail is posted as them (the inbound side checks the sender).
  const token = await ensureThreadToken(db, conversation.id, operator.id);
  return finish(config, body, {
    to: operator.email,
    replyTo: replyAddress(token, config.replyDomain),
    conversationId: conversation.id,
    headers: unsubscribeHeaders(unsubscribe),
    ...threading(config, conversation.id),
  });
}
