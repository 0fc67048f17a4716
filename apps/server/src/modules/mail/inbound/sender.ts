/**
 * Who a reply by mail is from. A reply address's token says which conversation and which side
 * (the visitor's, or one operator's), but tokens travel in mail and may leak: the mail is taken as
 * that side's only when its sender is that side's address too — the visitor's email, or the
 * operator's own while they are active and still work on the conversation's site.
 */
import type { Queryable } from '../../../db/database.js';
import type { OperatorRow } from '../../../db/schema.js';
import { worksOnSite } from '../../sites/queries.js';
import type { MailThread } from '../addresses.js';

export type MailAuthor =
  | { kind: 'visitor'; visitorId: string }
  | { kind: 'operator'; operator: Pick<OperatorRow, 'id' | 'display_name' | 'avatar_url'> }
  | { kind: 'refused'; reason: string };

const same = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

export interface SenderAddresses {
  /** The From header's one address. */
  from: string;
  /** The envelope's MAIL FROM when known (SMTP); it must be the same address then. */
  mailFrom: string | undefined;
}

/** The author a mail may be posted as, or why not. */
export async function authorOfMail(
  db: Queryable,
  thread: MailThread,
  conversation: { site_id: string; visitor_id: string },
  sender: SenderAddresses,
): Promise<MailAuthor> {
  const { from, mailFrom } = sender;
  if (mailFrom !== undefined && !same(from, mailFrom))
    return { kind: 'refused', reason: 'the envelope sender is not the From address' };
  if (thread.operatorId === null) {
    const visitor = await db
      .selectFrom('visitors')
      .select(['id', 'email'])
      .where('id', '=', conversation.visitor_id)
      .executeTakeFirst();
    if (!visitor || !same(visitor.email, from))
      return { kind: 'refused', reason: "the sender is not the visitor's email" };
    return { kind: 'visitor', visitorId: visitor.id };
  }
  const operator = await db
    .selectFrom('operators')
    .select(['id', 'email', 'display_name', 'avatar_url', 'deactivated_at'])
    .where('id', '=', thread.operatorId)
    .where(worksOnSite(conversation.site_id))
    .executeTakeFirst();
  if (!operator || !same(operator.email, from))
    return { kind: 'refused', reason: "the sender is not the operator's email, or they left the site" };
  if (operator.deactivated_at) return { kind: 'refused', reason: 'the operator is deactivated' };
  return { kind: 'operator', operator };
}
