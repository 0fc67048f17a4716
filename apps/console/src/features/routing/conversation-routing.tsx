/**
 * Routing in the conversation's header: the assignee (photo, name) and any
 * colleague invited in, the escalation mark, who else views the conversation
 * and who else types a reply (a warning when I type too), and Transfer,
 * Invite and Take. Reports this console's viewing while it shows the
 * conversation, repeated so a vanished console stops counting by itself.
 */
import type { ConversationDTO } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useNow } from '../../lib/use-now';
import { otherViewers, typingColleagues } from '../../store/collision';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { AssigneeBadge, EscalationMark, useSiteOperators } from './assignee-badge';
import { routingApi } from './routing-api';
import { TransferDialog } from './transfer-dialog';

/** Well within the server's 45 s: one lost repeat does not make a viewer vanish. */
const VIEWING_REPEAT_MS = 20_000;

export function ConversationRouting({ conversation }: { conversation: ConversationDTO }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const me = useInbox((s) => s.operator.id);
  const connected = useInbox((s) => s.connection === 'open');
  const viewers = otherViewers(
    useInbox((s) => s.viewers[conversation.id]),
    me,
  );
  const typingEntries = useInbox((s) => s.colleagueTyping[conversation.id]);
  const myDraft = useInbox((s) => Boolean(s.drafts[conversation.id]?.trim()));
  const now = useNow();
  const typing = typingColleagues(typingEntries, now);
  const operators = useSiteOperators(conversation.siteId);
  const [dialog, setDialog] = useState<'transfer' | 'invite' | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!connected) return;
    const id = conversation.id;
    workspace.setViewing(id, true);
    const timer = setInterval(() => workspace.setViewing(id, true), VIEWING_REPEAT_MS);
    return () => {
      clearInterval(timer);
      workspace.setViewing(id, false);
    };
  }, [workspace, conversation.id, connected]);

  const open = conversation.status === 'open';
  const mayTake =
    open &&
    conversation.assigneeId !== me &&
    (!conversation.assigneeId || conversation.escalation === 'open');
  const names = (list: { displayName: string }[]) => list.map((o) => o.displayName).join(', ');
  const participants = operators.filter((o) => conversation.participantIds.includes(o.id));

  async function take() {
    setError(null);
    try {
      await routingApi(workspace.http).take(conversation.id);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <div className="conversation-routing">
      <div className="routing-line">
        <AssigneeBadge conversation={conversation} />
        {participants.length > 0 && (
          <span className="muted small">{t('routing.participants', { names: names(participants) })}</span>
        )}
        <EscalationMark conversation={conversation} />
        {open && (
          <span className="routing-actions">
            {mayTake && (
              <button type="button" className="primary" onClick={take}>
                {t('routing.take')}
              </button>
            )}
            <button type="button" onClick={() => setDialog('transfer')}>
              {t('routing.transfer')}
            </button>
            <button type="button" onClick={() => setDialog('invite')}>
              {t('routing.invite')}
            </button>
          </span>
        )}
      </div>
      {viewers.length > 0 && (
        <p className="viewers small" role="status">
          {t('routing.alsoViewing', { names: names(viewers) })}
        </p>
      )}
      {typing.length > 0 &&
        (myDraft ? (
          <p className="collision-warning small" role="alert">
            {t('routing.bothTyping', { names: names(typing) })}
          </p>
        ) : (
          <p className="viewers small" role="status">
            {t('routing.colleagueTyping', { names: names(typing) })}
          </p>
        ))}
      {error && (
        <p className="error small" role="alert">
          {t('routing.error', { error })}
        </p>
      )}
      {dialog && <TransferDialog conversation={conversation} mode={dialog} onClose={() => setDialog(null)} />}
    </div>
  );
}
