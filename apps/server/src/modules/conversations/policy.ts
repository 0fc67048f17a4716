/** Who may touch a conversation: operators of its site, and nobody else. */
import type { Queryable } from '../../db/database.js';
import { forbidden, notFound } from '../errors.js';
import type { ConversationWithVisitor } from './presenter.js';
import { findConversation } from './queries.js';

/** Loads a conversation the operator may work on; 404 when missing, 403 when on a site not theirs. */
export async function loadConversationForOperator(
  db: Queryable,
  conversationId: string,
  operatorSiteIds: readonly string[],
): Promise<ConversationWithVisitor> {
  const conversation = await findConversation(db, conversationId);
  if (!conversation) throw notFound('Conversation');
  if (!operatorSiteIds.includes(conversation.site_id)) throw forbidden();
  return conversation;
}
