/**
 * The outbox handler of `email.send` (registered only where SMTP_URL is set;
 * elsewhere the rows wait and the console counts them). One row, one mail:
 *
 * 1. A row already in `mail_deliveries` was sent by an earlier attempt that
 *    died before marking the row done: nothing to do.
 * 2. Compose from the payload (null: nothing left to say — done, no mail).
 * 3. Send with the Message-ID derived from the row id, then record the
 *    delivery at once.
 *
 * The only window for a second mail is a crash between the server's 250 and
 * step 3's insert; the retry then carries the same Message-ID, which mail
 * clients and most servers fold into one.
 */
import type { Db } from '../../../db/database.js';
import type { EmailSend, OutboxHandler } from '../../../outbox/topics.js';
import { composeMail } from './compose.js';
import { type MailConfig, messageIdOf } from './config.js';
import type { MailTransport } from './transport.js';

export function emailSender(db: Db, config: MailConfig, transport: MailTransport): OutboxHandler<EmailSend> {
  return async (job) => {
    if (await alreadySent(db, job.id)) return;
    const mail = await composeMail(db, config, job.payload);
    if (!mail) return;
    const { conversationId, ...wire } = mail;
    const messageId = messageIdOf(config, job.id);
    await transport.send({ ...wire, messageId }, job.signal);
    await recordDelivery(db, {
      outboxId: job.id,
      messageId,
      kind: job.payload.kind,
      recipient: mail.to,
      conversationId,
    });
  };
}

export async function alreadySent(db: Db, outboxId: string): Promise<boolean> {
  const row = await db
    .selectFrom('mail_deliveries')
    .select('outbox_id')
    .where('outbox_id', '=', outboxId)
    .executeTakeFirst();
  return Boolean(row);
}

export async function recordDelivery(
  db: Db,
  props: {
    outboxId: string;
    messageId: string;
    kind: string;
    recipient: string;
    conversationId: string | null;
  },
): Promise<void> {
  await db
    .insertInto('mail_deliveries')
    .values({
      outbox_id: props.outboxId,
      message_id: props.messageId,
      kind: props.kind,
      recipient: props.recipient,
      conversation_id: props.conversationId,
    })
    .onConflict((oc) => oc.column('outbox_id').doNothing())
    .execute();
}
