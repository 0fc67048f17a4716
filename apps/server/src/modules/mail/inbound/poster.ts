/**
 * Posts a reply that came by mail into its conversation, through the same append path as a
 * message from the widget or the console, so realtime, read receipts, search and routing treat it
 * like any other. The message is marked `via: 'email'`, carries the files the mail had (stored
 * before), and is written in one transaction with the mail's `inbound_mail` row: the same mail
 * delivered twice (an SMTP retry, or the listener and a provider's webhook both) lands once.
 *
 * A closed conversation is reopened first. If the visitor has another conversation open by then,
 * the reply goes there: it is the visitor's live thread, and reopening a second is not allowed.
 */
import type { FileRow } from '../../../db/schema.js';
import type { FileStore } from '../../../storage/file-store.js';
import type { DomainContext } from '../../context.js';
import type { AppendedMessage } from '../../conversations/append-message.js';
import {
  announceVisitorMessage,
  conversationStatusChanger,
  publishMessage,
} from '../../conversations/commands.js';
import { attachFiles } from '../../conversations/file-messages.js';
import type { ConversationWithVisitor } from '../../conversations/presenter.js';
import { findConversation, findOpenConversationOfVisitor } from '../../conversations/queries.js';
import { DomainError, isUniqueViolation } from '../../errors.js';
import { publishQueue } from '../../routing/queue.js';
import type { MailAuthor } from './sender.js';

export interface MailPostProps {
  conversationId: string;
  author: Exclude<MailAuthor, { kind: 'refused' }>;
  /** The mail's Message-ID (or a hash of it): the key that makes a second delivery a no-op. */
  mailKey: string;
  /** The message's client id, derived from `mailKey`: the messages table's own retry guard agrees. */
  clientId: string;
  token: string;
  sender: string;
  text: string;
  /** Stored already (`fileUploader`); removed again when the mail is not posted. */
  files: FileRow[];
}

export type MailPostOutcome =
  | { kind: 'posted'; conversationId: string; messageId: string }
  | { kind: 'duplicate' }
  /** The conversation is gone, or keeps closing. */
  | { kind: 'nowhere' };

class DuplicateMail extends Error {}

/** The open conversation the reply goes to: its own, reopened if closed, or the visitor's open one. */
async function openTarget(
  ctx: DomainContext,
  conversationId: string,
): Promise<ConversationWithVisitor | undefined> {
  const conversation = await findConversation(ctx.db, conversationId);
  if (!conversation || conversation.status === 'open') return conversation;
  try {
    await conversationStatusChanger(ctx, conversationId, 'reopen');
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
    return findOpenConversationOfVisitor(ctx.db, conversation.visitor_id);
  }
  return findConversation(ctx.db, conversationId);
}

type Stored = { kind: 'created'; stored: AppendedMessage } | { kind: 'duplicate' } | { kind: 'closed' };

async function store(ctx: DomainContext, target: ConversationWithVisitor, props: MailPostProps) {
  const { author } = props;
  const authorId = author.kind === 'visitor' ? author.visitorId : author.operator.id;
  try {
    return await ctx.db.transaction().execute(async (tx): Promise<Stored> => {
      const result = await ctx.messageAppender.append(
        {
          conversationId: target.id,
          authorKind: author.kind,
          authorId,
          clientId: props.clientId,
          text: props.text,
          visibility: 'public',
        },
        { tx },
      );
      if (result.kind === 'duplicate') return { kind: 'duplicate' };
      if (result.kind === 'not_open') return { kind: 'closed' };
      let stored = props.files.length > 0 ? await attachFiles(tx, result.row, props.files) : result.row;
      await tx.updateTable('messages').set({ via: 'email' }).where('id', '=', stored.message.id).execute();
      stored = { ...stored, message: { ...stored.message, via: 'email' } };
      const recorded = await tx
        .insertInto('inbound_mail')
        .values({
          message_id: props.mailKey,
          token: props.token,
          conversation_id: target.id,
          posted_message_id: stored.message.id,
          outcome: 'posted',
          sender: props.sender,
        })
        .onConflict((oc) => oc.column('message_id').doNothing())
        .returning('message_id')
        .executeTakeFirst();
      // Another delivery of this mail committed first (it waited for it): undo this one.
      if (!recorded) throw new DuplicateMail();
      return { kind: 'created', stored };
    });
  } catch (error) {
    if (
      error instanceof DuplicateMail ||
      isUniqueViolation(error, 'messages_author_client_id') ||
      isUniqueViolation(error, 'inbound_mail_pkey')
    )
      return { kind: 'duplicate' } as const;
    throw error;
  }
}

/** Posts the reply (see the module comment), announces it, and says what happened. */
export async function mailMessagePoster(
  ctx: DomainContext,
  fileStore: FileStore,
  props: MailPostProps,
): Promise<MailPostOutcome> {
  let outcome: MailPostOutcome = { kind: 'nowhere' };
  // A few attempts: the conversation may be closed between reopening it and appending.
  for (let attempt = 0; attempt < 3; attempt++) {
    const target = await openTarget(ctx, props.conversationId);
    if (!target) break;
    const result = await store(ctx, target, props);
    if (result.kind === 'closed') continue;
    if (result.kind === 'duplicate') {
      outcome = { kind: 'duplicate' };
      break;
    }
    await announce(ctx, props, target, result.stored);
    return { kind: 'posted', conversationId: target.id, messageId: result.stored.message.id };
  }
  await removeFiles(ctx, fileStore, props.files);
  return outcome;
}

async function announce(
  ctx: DomainContext,
  props: MailPostProps,
  target: ConversationWithVisitor,
  stored: AppendedMessage,
): Promise<void> {
  if (props.author.kind === 'visitor') {
    await announceVisitorMessage(ctx, stored, false);
    return;
  }
  await publishMessage(ctx, stored.message, stored.conversation);
  // The reply assigned the conversation (picked from the queue): the visitors still waiting move up.
  if (stored.conversation.assignee_id !== target.assignee_id)
    await publishQueue(ctx, target.site_id, [{ conversationId: target.id }]);
}

/** Files stored for a mail that was not posted: gone at once rather than waiting for the orphan sweep. */
async function removeFiles(ctx: DomainContext, fileStore: FileStore, files: FileRow[]): Promise<void> {
  if (files.length === 0) return;
  const removed = await ctx.db
    .deleteFrom('files')
    .where(
      'id',
      'in',
      files.map((file) => file.id),
    )
    .where('message_id', 'is', null)
    .returning('storage_key')
    .execute();
  for (const row of removed) await fileStore.remove(row.storage_key);
}
