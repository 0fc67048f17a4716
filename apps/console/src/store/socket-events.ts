/**
 * The operator socket's events, each mapped to what it does to the store:
 * one typed handler per event (the compiler insists on every event), each a
 * line or two over the pure functions of live-events.ts and inbox-state.ts.
 */
import type { MentionDTO, MessageCreatedDTO, VisitorsActivityDTO } from '@parley/protocol';
import type { EventHandlers } from '../api/socket-client';
import { withColleagueTyping, withViewers } from './collision';
import { withConversations } from './inbox-state';
import { withPresence, withServerClock, withVisitor, withVisitorTyping } from './live-events';
import { withSites } from './sites';
import { withFirstDraft, withoutFirstDraft, withSiteTags, withVisitorRead } from './tags';
import type { WorkspaceDeps } from './workspace-deps';

export interface SocketEventDeps extends Pick<WorkspaceDeps, 'store' | 'onArrival'> {
  /** A live message with its conversation's row as the server left it: see `Threads.receive`. */
  receive(created: MessageCreatedDTO): void;
  /** The socket is (back) up: catch up on what was missed. */
  resync(): void;
  /** A colleague named this operator in a note. */
  onMention(mention: MentionDTO): void;
  /** Changed rows of the "visitors now" the console watches. */
  onVisitorsActivity(batch: VisitorsActivityDTO): void;
}

export function socketEventHandlers({
  store,
  onArrival,
  receive,
  resync,
  onMention,
  onVisitorsActivity,
}: SocketEventDeps): EventHandlers {
  return {
    'session.ready': ({ serverTime }) => {
      store.update((s) => withServerClock(s, serverTime, Date.now()));
      resync();
    },
    'message.created': (created) => receive(created),
    'conversation.created': (conversation) => {
      const known = store.get().conversations[conversation.id];
      store.update((s) => withoutFirstDraft(withConversations(s, [conversation]), conversation.visitorId));
      if (!known) onArrival({ kind: 'conversation', conversation, text: null });
    },
    // Closed or reopened, assigned: the snapshot carries the row's new place (a reopen moves its activity).
    'conversation.updated': (conversation) => store.update((s) => withConversations(s, [conversation])),
    'typing.updated': (typing) =>
      store.update((s) => withColleagueTyping(withVisitorTyping(s, typing, Date.now()), typing, Date.now())),
    'viewers.updated': (viewers) => store.update((s) => withViewers(s, viewers)),
    'visitor.updated': (visitor) => store.update((s) => withVisitor(s, visitor)),
    'presence.updated': ({ siteId, operators }) => store.update((s) => withPresence(s, siteId, operators)),
    'sites.changed': ({ sites }) => store.update((s) => withSites(s, sites)),
    'mention.created': (mention) => onMention(mention),
    // The socket client itself reconnects after the pause the server asks for.
    'server.draining': () => {},
    'conversation.read': ({ conversationId, seq }) =>
      store.update((s) => withVisitorRead(s, conversationId, seq)),
    'tags.updated': ({ siteId, tags }) => store.update((s) => withSiteTags(s, siteId, tags)),
    'visitor.drafting': (drafting) => store.update((s) => withFirstDraft(s, drafting, Date.now())),
    // The server batches these into `visitors.activity` for consoles that watch the list.
    'visitor.activity': () => {},
    'visitors.activity': (batch) => onVisitorsActivity(batch),
  };
}
