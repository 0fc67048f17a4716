/**
 * The louder alert of escalation: when a chat assigned to me goes unanswered
 * past the site's first threshold (`alert`), or any chat of my sites past the
 * second (`open`), a double chime and a desktop notification — once per
 * chat and level; the marks in the list and header stay until a reply.
 */
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/i18n';
import { chime, notifyDesktop } from '../../lib/notifier';
import { useInbox, useWorkspace } from '../shell/workspace-context';

export function EscalationAlerts() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const me = useInbox((s) => s.operator.id);
  const conversations = useInbox((s) => s.conversations);
  const alerted = useRef(new Set<string>());

  useEffect(() => {
    for (const c of Object.values(conversations)) {
      if (c.status !== 'open' || c.escalation === 'none') continue;
      if (c.escalation === 'alert' && c.assigneeId !== me) continue;
      const key = `${c.id}:${c.escalation}`;
      if (alerted.current.has(key)) continue;
      alerted.current.add(key);
      chime();
      setTimeout(chime, 1600);
      const text = t(c.escalation === 'alert' ? 'routing.escalation.alert' : 'routing.escalation.open');
      notifyDesktop(c.visitorName, text, `escalation:${key}`, () => workspace.showConversation(c));
    }
  }, [conversations, me, t, workspace]);
  return null;
}
