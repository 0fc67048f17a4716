/**
 * Messages that carry files. The files were stored before (the upload); here
 * the message and its references to them are written in one transaction, so
 * a message with a file appears once, after the file is stored, and never
 * without it: a send cut by a lost connection either left nothing or left the
 * whole message, which its retry (same clientId) finds and announces again.
 * A file may be sent only by whoever uploaded it, on the site it was uploaded
 * for, and only once; anything else is refused and nothing is written.
 *
 * Off the group commit (`append(…, { tx })`): messages with files are few, and
 * the transaction is what keeps message and references together.
 */
import { LIMITS } from '@parley/protocol';
import type { Tx } from '../../db/database.js';
import type { FileRow, StoredAttachment } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { conflict, DomainError } from '../errors.js';
import { storedAttachmentOf } from '../files/presenter.js';
import { publishSitePresence } from '../operators/presence.js';
import type { AppendedMessage } from './append-message.js';
import {
  announceVisitorMessage,
  departmentOfSite,
  findOriginal,
  findOrOpenConversation,
  type OperatorMessageProps,
  publishMessage,
  reannounced,
  type SendResult,
  type VisitorMessageProps,
} from './commands.js';
import { presentMessage } from './presenter.js';
import { findMessageByClientId } from './queries.js';

interface Uploader {
  kind: 'visitor' | 'operator';
  id: string;
  siteId: string;
}

/** Unknown, another person's and another site's files get the same answer: nothing to probe. */
const unknownFile = () =>
  new DomainError('not_found', 'File not found: upload it first (a file can be sent by its uploader only)');

/**
 * Locks the files a message names and checks them. Returns them in the order
 * named, or `'sent'` when one is already in a message (the caller then looks
 * for its own earlier send: a retry).
 */
async function claimFiles(tx: Tx, fileIds: string[], uploader: Uploader): Promise<FileRow[] | 'sent'> {
  const rows = await tx.selectFrom('files').selectAll().where('id', 'in', fileIds).forUpdate().execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const files = fileIds.map((id) => byId.get(id));
  for (const file of files) {
    if (
      !file ||
      file.site_id !== uploader.siteId ||
      file.uploader_kind !== uploader.kind ||
      file.uploader_id !== uploader.id
    )
      throw unknownFile();
  }
  const claimed = files as FileRow[];
  return claimed.some((file) => file.message_id !== null) ? 'sent' : claimed;
}

/** References the files from the stored message, and gives the message (and an empty text's row preview) them. */
export async function attachFiles(
  tx: Tx,
  stored: AppendedMessage,
  files: FileRow[],
): Promise<AppendedMessage> {
  const attachments: StoredAttachment[] = files.map(storedAttachmentOf);
  const { message } = stored;
  await tx
    .updateTable('files')
    .set({ message_id: message.id, conversation_id: message.conversation_id })
    .where(
      'id',
      'in',
      files.map((file) => file.id),
    )
    .execute();
  await tx
    .updateTable('messages')
    .set({ attachments: JSON.stringify(attachments) })
    .where('id', '=', message.id)
    .execute();
  let conversation = stored.conversation;
  if (message.text.trim() === '') {
    // The inbox row shows the files' names where a text would be.
    const preview = attachments
      .map((file) => file.name)
      .join(', ')
      .slice(0, LIMITS.lastMessagePreview);
    await tx
      .updateTable('conversations')
      .set({ last_message_text: preview })
      .where('id', '=', message.conversation_id)
      .where('last_seq', '=', message.seq)
      .execute();
    conversation = { ...conversation, last_message_text: preview };
  }
  return { message: { ...message, attachments }, conversation };
}

type Outcome =
  | { kind: 'created'; stored: AppendedMessage; conversationCreated: boolean }
  | { kind: 'duplicate'; authorId: string; clientId: string };

/** What a claim of already-sent files means: this sender's retry, or a file sent before by another message. */
async function sentBefore(tx: Tx, authorId: string, clientId: string): Promise<Outcome> {
  if (await findMessageByClientId(tx, authorId, clientId)) return { kind: 'duplicate', authorId, clientId };
  throw conflict('This file was sent already; attach it again to send it again');
}

/** A visitor's message with files, to their open conversation (opened if needed), like `visitorMessageCreator`. */
export async function visitorFileMessageCreator(
  ctx: DomainContext,
  props: VisitorMessageProps & { fileIds: string[] },
): Promise<SendResult> {
  const { visitorId, clientId } = props;
  const departmentId = props.departmentId
    ? await departmentOfSite(ctx, props.siteId, props.departmentId)
    : null;
  const outcome = await ctx.db.transaction().execute(async (tx): Promise<Outcome> => {
    if (await findMessageByClientId(tx, visitorId, clientId))
      return { kind: 'duplicate', authorId: visitorId, clientId };
    const files = await claimFiles(tx, props.fileIds, {
      kind: 'visitor',
      id: visitorId,
      siteId: props.siteId,
    });
    if (files === 'sent') return sentBefore(tx, visitorId, clientId);
    // A few attempts: the conversation may be closed between finding it and appending.
    for (let attempt = 0; attempt < 3; attempt++) {
      const conversation = await findOrOpenConversation(tx, props, 'chat', clientId, departmentId);
      if (!conversation) continue;
      const result = await ctx.messageAppender.append(
        {
          conversationId: conversation.id,
          authorKind: 'visitor',
          authorId: visitorId,
          clientId,
          text: props.text,
        },
        { tx },
      );
      if (result.kind === 'duplicate') return { kind: 'duplicate', authorId: visitorId, clientId };
      if (result.kind === 'created')
        return {
          kind: 'created',
          stored: await attachFiles(tx, result.row, files),
          conversationCreated: conversation.created,
        };
    }
    throw conflict('The conversation keeps closing; try again');
  });
  if (outcome.kind === 'duplicate')
    return reannounced(ctx, 'visitor', await findOriginal(ctx.db, outcome.authorId, outcome.clientId));
  return announceVisitorMessage(ctx, outcome.stored, outcome.conversationCreated);
}

/** An operator's reply or note with files, like `operatorMessageCreator`. */
export async function operatorFileMessageCreator(
  ctx: DomainContext,
  props: OperatorMessageProps & { fileIds: string[] },
): Promise<SendResult> {
  const { operator, conversation, clientId } = props;
  const outcome = await ctx.db.transaction().execute(async (tx): Promise<Outcome> => {
    if (await findMessageByClientId(tx, operator.id, clientId))
      return { kind: 'duplicate', authorId: operator.id, clientId };
    const files = await claimFiles(tx, props.fileIds, {
      kind: 'operator',
      id: operator.id,
      siteId: conversation.site_id,
    });
    if (files === 'sent') return sentBefore(tx, operator.id, clientId);
    const result = await ctx.messageAppender.append(
      {
        conversationId: conversation.id,
        authorKind: 'operator',
        authorId: operator.id,
        clientId,
        text: props.text,
        visibility: props.visibility ?? 'public',
      },
      { tx },
    );
    if (result.kind === 'duplicate') return { kind: 'duplicate', authorId: operator.id, clientId };
    if (result.kind === 'not_open') throw conflict('This conversation is closed; reopen it to reply');
    return { kind: 'created', stored: await attachFiles(tx, result.row, files), conversationCreated: false };
  });
  if (outcome.kind === 'duplicate')
    return reannounced(ctx, 'operator', await findOriginal(ctx.db, outcome.authorId, outcome.clientId));
  await publishMessage(ctx, outcome.stored.message, outcome.stored.conversation);
  // The reply assigned the conversation: presence counts open conversations per assignee.
  if (outcome.stored.conversation.assignee_id !== conversation.assignee_id)
    await publishSitePresence(ctx, conversation.site_id);
  return { message: presentMessage(outcome.stored.message), duplicate: false };
}
