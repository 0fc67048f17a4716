/** Who has a conversation: the assignee's photo and name (from the site's presence), or "Unassigned". */
import type { ConversationDTO, OperatorPresenceDTO } from '@parley/protocol';
import { useI18n } from '../../i18n/i18n';
import { Avatar } from '../profile/avatar';
import { useInbox } from '../shell/workspace-context';

export function useSiteOperators(siteId: string): OperatorPresenceDTO[] {
  return useInbox((s) => s.presence[siteId]) ?? EMPTY;
}
const EMPTY: OperatorPresenceDTO[] = [];

export function AssigneeBadge({ conversation, size = 20 }: { conversation: ConversationDTO; size?: number }) {
  const { t } = useI18n();
  const operators = useSiteOperators(conversation.siteId);
  const assignee = operators.find((o) => o.id === conversation.assigneeId);
  if (!conversation.assigneeId) return <span className="assignee muted">{t('routing.unassigned')}</span>;
  const name = assignee?.displayName ?? '…';
  return (
    <span className="assignee">
      <Avatar name={name} url={assignee?.avatarUrl ?? null} size={size} />
      <span>{t('routing.assignee', { name })}</span>
    </span>
  );
}

/** The escalation mark of a waiting chat: louder for the assignee, open to all after the second threshold. */
export function EscalationMark({ conversation }: { conversation: ConversationDTO }) {
  const { t } = useI18n();
  if (conversation.status !== 'open' || conversation.escalation === 'none') return null;
  return (
    <span className={`tag escalation-${conversation.escalation}`}>
      {t(conversation.escalation === 'alert' ? 'routing.escalation.alert' : 'routing.escalation.open')}
    </span>
  );
}
