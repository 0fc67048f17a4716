/**
 * One inbound mail, whichever way it came (the SMTP listener or the HTTP endpoint): parsed with
 * mailparser, routed by the reply address it was sent to, checked (sender, loops), reduced to what
 * the person wrote, its files stored, and posted (`mailMessagePoster`). Every outcome is a value
 * and a log line; nothing here throws for bad mail, so no listener can be brought down by one.
 *
 * The order is the cheap and safe one: refuse unknown addresses before reading a sender, refuse a
 * wrong sender before storing any file, and write nothing at all until the mail is known good.
 */
import { createHash } from 'node:crypto';
import { FILE_LIMITS, LIMITS } from '@parley/protocol';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import type { FileRow } from '../../../db/schema.js';
import type { FileStore } from '../../../storage/file-store.js';
import type { DomainContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { fileUploader } from '../../files/commands.js';
import { readFileSettings } from '../../files/settings.js';
import { findSiteById } from '../../sites/queries.js';
import { findThread, type MailThread, tokenFromAddress } from '../addresses.js';
import { automaticReason } from './automatic.js';
import { mailMessagePoster } from './poster.js';
import { htmlToReplyText, stripQuotedHistory } from './quoted-text.js';
import { authorOfMail } from './sender.js';

export interface InboundMailDeps {
  ctx: DomainContext;
  files: FileStore;
  /** MAIL_REPLY_DOMAIN: only `reply+<token>@` this domain is ours. */
  replyDomain: string;
  /** The largest raw message accepted, in bytes (INBOUND_MAIL_MAX_BYTES). */
  maxBytes: number;
}

/** What the transport knows beyond the message: SMTP's MAIL FROM ('' for `<>`) and RCPT TO. */
export interface MailEnvelope {
  mailFrom?: string;
  rcptTo?: readonly string[];
}

export type RefusalCode = 'unknown_recipient' | 'wrong_sender' | 'malformed' | 'too_large';

export type InboundOutcome =
  | { kind: 'posted'; conversationId: string; messageId: string; droppedFiles: number }
  | { kind: 'duplicate' }
  /** Accepted and dropped: automatic mail (auto-replies, bounces, lists), or nothing new in it. */
  | { kind: 'ignored'; reason: string }
  | { kind: 'refused'; code: RefusalCode; reason: string };

/** The thread a recipient address names, or null (not ours, unknown token, conversation deleted). */
export async function threadOfAddress(deps: InboundMailDeps, address: string): Promise<MailThread | null> {
  const token = tokenFromAddress(address, deps.replyDomain);
  return token ? findThread(deps.ctx.db, token) : null;
}

const addressesOf = (value: AddressObject | AddressObject[] | undefined): string[] =>
  [value ?? []]
    .flat()
    .flatMap((object) => object.value)
    .flatMap((entry) => [entry.address ?? '', ...(entry.group ?? []).map((member) => member.address ?? '')])
    .filter(Boolean);

/** Every address the mail was delivered to: the envelope first, then To, Cc and the delivery headers. */
function recipientsOf(mail: ParsedMail, envelope: MailEnvelope): string[] {
  const fromHeaders = ['delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to'].flatMap((name) =>
    mail.headerLines
      .filter((line) => line.key === name)
      .map((line) => line.line.slice(line.line.indexOf(':') + 1).trim())
      .map((value) => value.replace(/^<|>$/g, '')),
  );
  return [...(envelope.rcptTo ?? []), ...addressesOf(mail.to), ...addressesOf(mail.cc), ...fromHeaders];
}

/** The key that makes a second delivery a no-op: the Message-ID, or a hash of the whole mail without one. */
function mailKeyOf(mail: ParsedMail, raw: Buffer): string {
  const id = mail.messageId?.trim();
  if (id && id.length <= 500) return id;
  return `sha256:${createHash('sha256')
    .update(id ?? raw)
    .digest('hex')}`;
}

function limitText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL cannot be stored in PostgreSQL text
  const clean = text.replace(/\u0000/g, '');
  return clean.length <= LIMITS.messageText ? clean : `${clean.slice(0, LIMITS.messageText - 1)}…`;
}

interface StoredFiles {
  files: FileRow[];
  notes: string[];
}

/** Stores the mail's attachments with the same checks as uploads; inline images (logos in signatures) are skipped. */
async function storeAttachments(
  deps: InboundMailDeps,
  mail: ParsedMail,
  siteId: string,
  uploader: { kind: 'visitor' | 'operator'; id: string },
): Promise<StoredFiles> {
  const site = await findSiteById(deps.ctx.db, siteId);
  const settings = readFileSettings((site?.settings as { files?: unknown } | null)?.files);
  const result: StoredFiles = { files: [], notes: [] };
  const attachments = mail.attachments.filter((a) => !(a.related && a.contentDisposition !== 'attachment'));
  for (const attachment of attachments) {
    const name = (attachment.filename ?? 'attachment').slice(0, FILE_LIMITS.name);
    if (result.files.length >= FILE_LIMITS.perMessage) {
      result.notes.push(`${name}: more than ${FILE_LIMITS.perMessage} files in one message`);
      continue;
    }
    try {
      const body = (async function* () {
        yield new Uint8Array(attachment.content);
      })();
      result.files.push(
        await fileUploader(deps.ctx.db, deps.files, { siteId, uploader, name, body, settings }),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      result.notes.push(`${name}: ${error.message}`);
    }
  }
  return result;
}

/** Receives one raw mail (see the module comment). */
export async function inboundMailReceiver(
  deps: InboundMailDeps,
  raw: Buffer,
  envelope: MailEnvelope = {},
): Promise<InboundOutcome> {
  const outcome = await receive(deps, raw, envelope).catch((error: unknown) => {
    deps.ctx.log.error({ err: error }, 'inbound mail: could not be handled');
    throw error;
  });
  const level = outcome.kind === 'refused' ? 'warn' : 'info';
  deps.ctx.log[level]({ inboundMail: outcome, bytes: raw.length }, `inbound mail ${outcome.kind}`);
  return outcome;
}

async function receive(deps: InboundMailDeps, raw: Buffer, envelope: MailEnvelope): Promise<InboundOutcome> {
  if (raw.length > deps.maxBytes)
    return { kind: 'refused', code: 'too_large', reason: `larger than ${deps.maxBytes} bytes` };
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipHtmlToText: true, skipTextLinks: true, skipImageLinks: true });
  } catch (error) {
    return { kind: 'refused', code: 'malformed', reason: (error as Error).message };
  }
  const from = addressesOf(mail.from);
  if (from.length !== 1 || !from[0]?.includes('@'))
    return { kind: 'refused', code: 'malformed', reason: 'no single From address' };
  const sender = from[0];

  let thread: MailThread | null = null;
  for (const address of recipientsOf(mail, envelope)) {
    thread = await threadOfAddress(deps, address);
    if (thread) break;
  }
  if (!thread) return { kind: 'refused', code: 'unknown_recipient', reason: 'no known reply address' };

  const automatic = automaticReason({ headers: mail.headers, mailFrom: envelope.mailFrom, from: sender });
  if (automatic) return { kind: 'ignored', reason: automatic };

  const conversation = await deps.ctx.db
    .selectFrom('conversations')
    .select(['id', 'site_id', 'visitor_id'])
    .where('id', '=', thread.conversationId)
    .executeTakeFirst();
  if (!conversation) return { kind: 'refused', code: 'unknown_recipient', reason: 'conversation deleted' };
  const author = await authorOfMail(deps.ctx.db, thread, conversation, {
    from: sender,
    mailFrom: envelope.mailFrom,
  });
  if (author.kind === 'refused') return { kind: 'refused', code: 'wrong_sender', reason: author.reason };

  const mailKey = mailKeyOf(mail, raw);
  const seen = await deps.ctx.db
    .selectFrom('inbound_mail')
    .select('message_id')
    .where('message_id', '=', mailKey)
    .executeTakeFirst();
  if (seen) return { kind: 'duplicate' };

  const written = mail.text?.trim() ? mail.text : mail.html ? htmlToReplyText(mail.html) : '';
  const stored = await storeAttachments(deps, mail, conversation.site_id, {
    kind: author.kind,
    id: author.kind === 'visitor' ? author.visitorId : author.operator.id,
  });
  const notes = stored.notes.map((note) => `[not attached: ${note}]`);
  const text = limitText([stripQuotedHistory(written), ...notes].filter(Boolean).join('\n\n'));
  if (!text && stored.files.length === 0) return { kind: 'ignored', reason: 'nothing new in the reply' };

  const posted = await mailMessagePoster(deps.ctx, deps.files, {
    conversationId: conversation.id,
    author,
    mailKey,
    clientId: `mail:${createHash('sha256').update(mailKey).digest('hex').slice(0, 40)}`,
    token: thread.token,
    sender,
    text,
    files: stored.files,
  });
  if (posted.kind === 'nowhere')
    return { kind: 'refused', code: 'unknown_recipient', reason: 'the conversation is gone' };
  if (posted.kind === 'duplicate') return posted;
  return { ...posted, droppedFiles: stored.notes.length };
}
