/**
 * The signed-in console: creates the workspace for this session, wires
 * arrivals to the chime and desktop notifications, and lays out the top bar
 * and either the three panes (list, conversation, visitor card) or the
 * settings area, as the address says.
 */
import type { MentionDTO, SessionResponse } from '@parley/protocol';
import { useEffect, useRef, useState } from 'react';
import type { HttpClient } from '../../api/http-client';
import { useI18n } from '../../i18n/i18n';
import { useConsoleRoute } from '../../lib/location';
import { chime, notifyDesktop } from '../../lib/notifier';
import { type Arrival, type Prefetched, Workspace } from '../../store/workspace';
import { ConversationPane } from '../conversation/conversation-pane';
import { MailWaitingBanner } from '../email/mail-waiting-banner';
import { InboxPane } from '../inbox/inbox-pane';
import { MentionToast } from '../mentions/mentions-button';
import { EscalationAlerts } from '../routing/escalation-alerts';
import { SettingsView } from '../settings/settings-view';
import { FirstSite } from '../site-settings/first-site';
import { VisitorCard } from '../visitor/visitor-card';
import { VisitorPage } from '../visitor/visitor-page';
import { VisitorsNowView } from '../visitors-now/visitors-now-view';
import { ShortcutsDialog } from './shortcuts-dialog';
import { TopBar } from './top-bar';
import { useShortcuts } from './use-shortcuts';
import { WorkspaceContext } from './workspace-context';

interface Props {
  http: HttpClient;
  session: SessionResponse;
  /** What was requested at boot, before the session was known. */
  prefetched?: Prefetched;
  onLogout(): Promise<void>;
  onSessionEnded(): void;
}

export function WorkspaceView({ http, session, prefetched, onLogout, onSessionEnded }: Props) {
  const { t } = useI18n();
  // Arrivals go to the latest announcer, so notification texts follow the language chosen now.
  const announceRef = useRef<(arrival: Arrival) => void>(() => {});
  const mentionRef = useRef<(mention: MentionDTO) => void>(() => {});
  const [workspace] = useState(
    () =>
      new Workspace(http, session, {
        onArrival: (arrival) => announceRef.current(arrival),
        onMention: (mention) => mentionRef.current(mention),
        onSessionEnded,
      }),
  );
  const [toast, setToast] = useState<MentionDTO | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const route = useConsoleRoute();

  useEffect(() => {
    announceRef.current = (arrival: Arrival) => {
      chime();
      const { conversation } = arrival;
      const name = conversation.visitorName;
      const title =
        arrival.kind === 'conversation'
          ? t('notify.newConversation', { name })
          : t('notify.newMessage', { name });
      const watching = !document.hidden && workspace.store.get().selectedId === conversation.id;
      if (watching) return;
      const body = arrival.text ?? conversation.lastMessage?.text ?? '';
      notifyDesktop(title, body, conversation.id, () => workspace.showConversation(conversation));
    };
  }, [t, workspace]);

  useEffect(() => {
    // A colleague named this operator in a note: chime, the toast, and a desktop notification.
    mentionRef.current = (mention: MentionDTO) => {
      chime();
      setToast(mention);
      const title = t('mentions.toast', { name: mention.authorName ?? t('mentions.someone') });
      notifyDesktop(title, mention.text, `mention:${mention.id}`, () => {
        workspace.select(mention.conversationId);
        void workspace.mentions.markRead([mention.id]).catch(() => {});
      });
    };
  }, [t, workspace]);

  useEffect(() => {
    workspace.start(prefetched);
    return () => workspace.stop();
  }, [workspace, prefetched]);

  useShortcuts(workspace, () => setHelpOpen(true));

  return (
    <WorkspaceContext.Provider value={workspace}>
      <div className="app">
        <TopBar onLogout={onLogout} onHelp={() => setHelpOpen(true)} />
        <MailWaitingBanner />
        {/* Hidden, not unmounted, while settings are open: drafts and scroll positions survive the visit. */}
        <FirstSite shown={route.view === 'inbox'}>
          <div className="panes" hidden={route.view !== 'inbox'}>
            <InboxPane />
            <ConversationPane />
            <VisitorCard />
          </div>
        </FirstSite>
        {route.view === 'settings' && <SettingsView section={route.section} itemId={route.itemId} />}
        {route.view === 'visitors' && <VisitorsNowView />}
        {route.view === 'visitor' && <VisitorPage visitorId={route.visitorId} />}
        <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
        <EscalationAlerts />
        <MentionToast mention={toast} onDismiss={() => setToast(null)} />
      </div>
    </WorkspaceContext.Provider>
  );
}
