/**
 * Who a list row names before its preview text. Nobody when the visitor wrote
 * last: the row is already titled with the visitor's name and a conversation
 * has one visitor, so repeating it would only take room from the text, and a
 * preview without a name reads as the visitor speaking (as in most messengers).
 * An operator by display name, so colleagues see who answered; "Operator" only
 * when the name is gone (the account was deleted). A note says it is one
 * ("Note · Anna"), so nobody reads it as something the visitor was told.
 */
import type { LastMessageDTO } from '@parley/protocol';
import type { Translate } from '../../i18n/i18n';

export function previewAuthor(last: LastMessageDTO, t: Translate): string | null {
  const author = authorOf(last, t);
  return last.visibility === 'internal' ? `${t('message.note')} · ${author ?? t('author.operator')}` : author;
}

function authorOf(last: LastMessageDTO, t: Translate): string | null {
  switch (last.authorKind) {
    case 'visitor':
      return null;
    case 'operator':
      return last.authorName ?? t('author.operator');
    case 'system':
      return t('author.system');
  }
}
