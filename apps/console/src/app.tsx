/**
 * The console's top level: asks the server who is logged in, shows the login
 * form or the workspace, and tears the workspace down on logout.
 */
import type { SessionResponse } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import { HttpClient } from './api/http-client';
import { LoginPage } from './features/auth/login-page';
import { WorkspaceView } from './features/shell/workspace-view';
import { TeamLinkPage } from './features/team/link-page';
import { teamLinkToken } from './features/team/link-token';
import { tabQuery } from './store/inbox-state';
import { conversationIdFromPath } from './store/routes';
import type { Prefetched } from './store/workspace';

const http = new HttpClient();

// The first list page and a conversation opened by URL (a reload, a link) are fetched while the
// session is checked, not after it: one round trip less before the operator sees anything.
const urlConversation = conversationIdFromPath(location.pathname);
let bootPrefetch: Prefetched | undefined = {
  openList: http.listConversations(tabQuery('open')).catch(() => null),
  conversation: urlConversation ? http.conversation(urlConversation).catch(() => null) : undefined,
};

type SessionState =
  | { kind: 'checking' }
  | { kind: 'anonymous' }
  | { kind: 'active'; session: SessionResponse; prefetched?: Prefetched };

export function App() {
  const [state, setState] = useState<SessionState>({ kind: 'checking' });
  // An invitation or password-reset link opens its own page first, whoever is logged in here.
  const [linkToken, setLinkToken] = useState(() => teamLinkToken(location));

  const activate = useCallback((session: SessionResponse) => {
    http.csrfToken = session.csrfToken;
    // Only the first session may use what boot fetched: after a logout, another operator may log in here.
    const prefetched = bootPrefetch;
    bootPrefetch = undefined;
    setState({ kind: 'active', session, prefetched });
  }, []);

  const end = useCallback(() => {
    http.csrfToken = null;
    setState({ kind: 'anonymous' });
  }, []);

  useEffect(() => {
    http.me().then(activate, () => setState({ kind: 'anonymous' }));
  }, [activate]);

  if (linkToken !== null)
    return (
      <TeamLinkPage
        http={http}
        token={linkToken}
        onLoggedIn={(session) => {
          // The token leaves the address bar: a reload or Back must not show a spent link.
          history.replaceState(null, '', '/console/');
          setLinkToken(null);
          activate(session);
        }}
      />
    );
  if (state.kind === 'checking') return <div className="splash" aria-busy="true" />;
  if (state.kind === 'anonymous') return <LoginPage http={http} onLoggedIn={activate} />;
  return (
    <WorkspaceView
      key={state.session.operator.id}
      http={http}
      session={state.session}
      prefetched={state.prefetched}
      onLogout={async () => {
        await http.logout().catch(() => {});
        end();
      }}
      onSessionEnded={end}
    />
  );
}
