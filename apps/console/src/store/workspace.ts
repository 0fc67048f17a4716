/**
 * The operator's workspace: owns the HTTP client, the socket and the inbox
 * store, and is the only place that changes them. Socket events map to
 * store updates through one typed handler per event; every (re)connect
 * resyncs (first page of each loaded list, missed messages of every loaded
 * conversation via `conversation.sync`) and resends the outbox by clientId,
 * which the server makes idempotent.
 */
import type {
  ConversationDetail,
  ConversationDTO,
  ConversationList,
  MessageDTO,
  OperatorStatus,
  SessionResponse,
} from '@parley/protocol';
import { ApiError, type HttpClient } from '../api/http-client';
import { type EventHandlers, FrameError, OperatorSocket } from '../api/socket-client';
import { newClientId } from '../lib/client-id';
import {
  applyMessage,
  type InboxState,
  initialInboxState,
  lastContiguousSeq,
  listOf,
  mergeMessages,
  type OutboxItem,
  type Tab,
  tabOf,
  tabQuery,
  withConversations,
} from './inbox-state';
import { conversationIdFromPath, pathForConversation } from './routes';
import { Store } from './store';

/** Something an operator should hear about. */
export interface Arrival {
  kind: 'conversation' | 'message';
  conversation: ConversationDTO;
  text: string | null;
}

/** Requests started at boot, in parallel with the session check; null when they failed (e.g. not logged in yet). */
export interface Prefetched {
  openList: Promise<ConversationList | null>;
  conversation?: Promise<ConversationDetail | null>;
}

export interface WorkspaceOptions {
  onArrival(arrival: Arrival): void;
  onSessionEnded(): void;
}

/** What `conversation.sync` returns at most per call. */
const SYNC_PAGE = 500;
const TYPING_REFRESH_MS = 3000;
const TYPING_IDLE_MS = 4000;

export class Workspace {
  readonly store: Store<InboxState>;
  private readonly socket: OperatorSocket;
  private readonly fetching = new Set<string>();
  private typingSentAt = new Map<string, number>();
  private typingIdle = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    readonly http: HttpClient,
    session: SessionResponse,
    private readonly options: WorkspaceOptions,
  ) {
    this.store = new Store(initialInboxState(session.operator, session.sites));
    this.socket = new OperatorSocket({
      handlers: this.handlers,
      onState: (connection) => this.store.update((s) => ({ ...s, connection })),
      onUnauthorized: () => options.onSessionEnded(),
    });
  }

  start(prefetched?: Prefetched): void {
    this.socket.start();
    void this.loadTab(this.store.get().tab, false, prefetched?.openList);
    const fromUrl = conversationIdFromPath(location.pathname);
    if (fromUrl) {
      if (prefetched?.conversation) void this.loadThread(fromUrl, prefetched.conversation);
      this.select(fromUrl);
    }
  }

  stop(): void {
    this.socket.stop();
    for (const timer of this.typingIdle.values()) clearTimeout(timer);
  }

  /** Drops the socket as a network failure would (it comes back by itself). */
  dropConnection(): void {
    this.socket.dropConnection();
  }

  private readonly handlers: EventHandlers = {
    'session.ready': ({ serverTime }) => {
      this.store.update((s) => ({ ...s, clockOffsetMs: Date.parse(serverTime) - Date.now() }));
      void this.resync();
    },
    'message.created': (message) => this.receiveMessage(message, true),
    'conversation.created': (conversation) => {
      const known = this.store.get().conversations[conversation.id];
      this.store.update((s) => withConversations(s, [conversation]));
      if (!known) this.options.onArrival({ kind: 'conversation', conversation, text: null });
    },
    'conversation.updated': (conversation) => {
      const before = this.store.get().conversations[conversation.id];
      // The status changed (closed, reopened): the row moves to the top of its new list.
      const touch = before !== undefined && before.status !== conversation.status;
      this.store.update((s) => withConversations(s, [conversation], touch));
    },
    'typing.updated': (typing) => {
      if (typing.authorKind !== 'visitor') return;
      this.store.update((s) => {
        const next = { ...s.typing };
        if (typing.typing) next[typing.conversationId] = { preview: typing.preview, at: Date.now() };
        else delete next[typing.conversationId];
        return { ...s, typing: next };
      });
    },
    'visitor.updated': (visitor) => {
      this.store.update((s) => {
        const conversations = { ...s.conversations };
        for (const c of Object.values(conversations)) {
          if (c.visitorId === visitor.id && c.visitorName !== visitor.name) {
            conversations[c.id] = { ...c, visitorName: visitor.name };
          }
        }
        return { ...s, conversations, visitors: { ...s.visitors, [visitor.id]: visitor } };
      });
    },
    'presence.updated': ({ siteId, operators }) => {
      this.store.update((s) => ({ ...s, presence: { ...s.presence, [siteId]: operators } }));
    },
    // The socket client itself reconnects after the pause the server asks for.
    'server.draining': () => {},
  };

  private receiveMessage(message: MessageDTO, live: boolean): void {
    const state = this.store.get();
    const conversation = state.conversations[message.conversationId];
    const thread = state.threads[message.conversationId];
    this.store.update((s) => {
      let next = s;
      if (conversation) {
        const updated = applyMessage(conversation, message);
        if (updated !== conversation) next = withConversations(next, [updated]);
      }
      if (thread) {
        next = {
          ...next,
          threads: {
            ...next.threads,
            [message.conversationId]: { ...thread, messages: mergeMessages(thread.messages, [message]) },
          },
        };
      }
      if (message.author.kind === 'visitor' && next.typing[message.conversationId]) {
        const typing = { ...next.typing };
        delete typing[message.conversationId];
        next = { ...next, typing };
      }
      if (message.clientId && next.outbox.some((o) => o.clientId === message.clientId)) {
        next = { ...next, outbox: next.outbox.filter((o) => o.clientId !== message.clientId) };
      }
      return next;
    });
    if (!conversation) void this.loadThread(message.conversationId);
    const last = thread?.messages.at(-1);
    // A gap means events were missed (a lost frame, a node switch): fetch what is between.
    if (thread && last && message.seq > last.seq + 1) void this.syncThread(message.conversationId);
    const isNew = !conversation || message.seq > conversation.lastSeq;
    if (live && isNew && message.author.kind === 'visitor') {
      const fresh = this.store.get().conversations[message.conversationId];
      if (fresh) this.options.onArrival({ kind: 'message', conversation: fresh, text: message.text });
    }
  }

  private async resync(): Promise<void> {
    const { tabs, tab, threads } = this.store.get();
    const loadedTabs = (Object.keys(tabs) as Tab[]).filter((t) => tabs[t].loaded || t === tab);
    await Promise.all([
      ...loadedTabs.map((t) => this.loadTab(t)),
      ...Object.keys(threads).map((id) => this.syncThread(id)),
    ]);
    for (const item of this.store.get().outbox) {
      if (item.state === 'sending') void this.deliver(item);
    }
  }

  /** Fetches messages after the last contiguous one over the socket, page by page. */
  private async syncThread(conversationId: string): Promise<void> {
    if (!this.socket.isOpen) return;
    for (;;) {
      const thread = this.store.get().threads[conversationId];
      if (!thread || thread.loading) return;
      const afterSeq = lastContiguousSeq(thread.messages);
      let messages: MessageDTO[];
      try {
        ({ messages } = await this.socket.request('conversation.sync', { conversationId, afterSeq }));
      } catch {
        return; // The next session.ready tries again.
      }
      for (const message of messages) this.receiveMessage(message, false);
      if (messages.length < SYNC_PAGE) return;
    }
  }

  async loadTab(tab: Tab, more = false, prefetched?: Promise<ConversationList | null>): Promise<void> {
    const current = this.store.get().tabs[tab];
    if (more && !current.nextCursor) return;
    this.setTab(tab, { loading: true, error: null });
    try {
      const page =
        (tab === 'open' && !more && (await prefetched)) ||
        (await this.http.listConversations({
          ...tabQuery(tab),
          ...(more && current.nextCursor && { cursor: current.nextCursor }),
        }));
      this.store.update((s) => {
        const next = withConversations(s, page.items);
        const tabState = next.tabs[tab];
        // A refresh of the first page keeps the cursor of pages loaded further down.
        const nextCursor = more || !tabState.loaded ? page.nextCursor : tabState.nextCursor;
        return {
          ...next,
          tabs: { ...next.tabs, [tab]: { loaded: true, loading: false, nextCursor, error: null } },
        };
      });
    } catch (error) {
      this.setTab(tab, { loading: false, error: messageOf(error) });
    }
  }

  private setTab(tab: Tab, change: Partial<InboxState['tabs'][Tab]>): void {
    this.store.update((s) => ({ ...s, tabs: { ...s.tabs, [tab]: { ...s.tabs[tab], ...change } } }));
  }

  selectTab(tab: Tab): void {
    this.store.update((s) => ({ ...s, tab }));
    void this.loadTab(tab);
  }

  select(conversationId: string | null): void {
    this.store.update((s) => (s.selectedId === conversationId ? s : { ...s, selectedId: conversationId }));
    const path = pathForConversation(conversationId);
    if (location.pathname !== path) history.replaceState(null, '', path);
    if (!conversationId) return;
    const state = this.store.get();
    if (!state.threads[conversationId]) void this.loadThread(conversationId);
    const conversation = state.conversations[conversationId];
    if (conversation) void this.loadVisitor(conversation.visitorId);
  }

  /** Moves the selection through the current tab's list (keyboard shortcuts). */
  selectRelative(delta: 1 | -1): void {
    const s = this.store.get();
    const ids = listOf(s.conversations, s.activityAt, s.tab);
    if (ids.length === 0) return;
    const index = s.selectedId ? ids.indexOf(s.selectedId) : -1;
    const nextIndex = index === -1 ? (delta > 0 ? 0 : ids.length - 1) : index + delta;
    const id = ids[Math.min(ids.length - 1, Math.max(0, nextIndex))];
    if (id) this.select(id);
  }

  async loadThread(conversationId: string, prefetched?: Promise<ConversationDetail | null>): Promise<void> {
    if (this.fetching.has(conversationId)) return;
    this.fetching.add(conversationId);
    this.setThread(conversationId, { loading: true, error: null });
    try {
      const detail = (await prefetched) ?? (await this.http.conversation(conversationId));
      this.store.update((s) => {
        const next = withConversations(s, [detail.conversation]);
        const existing = next.threads[conversationId]?.messages ?? [];
        return {
          ...next,
          visitors: { ...next.visitors, [detail.visitor.id]: detail.visitor },
          threads: {
            ...next.threads,
            [conversationId]: {
              messages: mergeMessages(detail.messages, existing),
              hasEarlier: detail.hasEarlier,
              loading: false,
              error: null,
            },
          },
        };
      });
      if (this.store.get().selectedId === conversationId) void this.loadVisitor(detail.visitor.id);
    } catch (error) {
      this.setThread(conversationId, { loading: false, error: messageOf(error) });
    } finally {
      this.fetching.delete(conversationId);
    }
  }

  private setThread(conversationId: string, change: Partial<InboxState['threads'][string]>): void {
    this.store.update((s) => {
      const thread = s.threads[conversationId] ?? {
        messages: [],
        hasEarlier: false,
        loading: false,
        error: null,
      };
      return { ...s, threads: { ...s.threads, [conversationId]: { ...thread, ...change } } };
    });
  }

  async loadEarlier(conversationId: string): Promise<void> {
    const first = this.store.get().threads[conversationId]?.messages[0];
    if (!first) return;
    const { messages, hasMore } = await this.http.messages(conversationId, {
      beforeSeq: first.seq,
      limit: 200,
    });
    this.store.update((s) => {
      const thread = s.threads[conversationId];
      if (!thread) return s;
      return {
        ...s,
        threads: {
          ...s.threads,
          [conversationId]: {
            ...thread,
            messages: mergeMessages(thread.messages, messages),
            hasEarlier: hasMore,
          },
        },
      };
    });
  }

  async loadVisitor(visitorId: string): Promise<void> {
    try {
      const detail = await this.http.visitor(visitorId);
      this.store.update((s) => ({
        ...s,
        visitors: { ...s.visitors, [visitorId]: detail.visitor },
        visitorConversations: { ...s.visitorConversations, [visitorId]: detail.conversations },
      }));
    } catch {
      // The card shows what the conversation brought; the history is a bonus.
    }
  }

  setDraft(conversationId: string, text: string): void {
    this.store.update((s) => ({ ...s, drafts: { ...s.drafts, [conversationId]: text } }));
  }

  send(conversationId: string, text: string): void {
    const item: OutboxItem = { clientId: newClientId(), conversationId, text, state: 'sending', error: null };
    this.store.update((s) => ({
      ...s,
      outbox: [...s.outbox, item],
      drafts: { ...s.drafts, [conversationId]: '' },
    }));
    this.stopTyping(conversationId);
    void this.deliver(item);
  }

  retry(clientId: string): void {
    const item = this.store.get().outbox.find((o) => o.clientId === clientId);
    if (!item) return;
    this.setOutbox(clientId, { state: 'sending', error: null });
    void this.deliver({ ...item, state: 'sending' });
  }

  discard(clientId: string): void {
    this.store.update((s) => ({ ...s, outbox: s.outbox.filter((o) => o.clientId !== clientId) }));
  }

  /** Over the socket when it is up, else over HTTP; either way the clientId makes a repeat harmless. */
  private async deliver(item: OutboxItem): Promise<void> {
    const request = { clientId: item.clientId, text: item.text };
    try {
      const { message } = this.socket.isOpen
        ? await this.socket.request('message.send', { conversationId: item.conversationId, ...request })
        : await this.http.sendMessage(item.conversationId, request);
      this.receiveMessage(message, false);
    } catch (error) {
      // Refusals are final until the operator retries; a lost connection is retried on the next session.ready.
      const refused = error instanceof FrameError || (error instanceof ApiError && error.status >= 400);
      if (refused) this.setOutbox(item.clientId, { state: 'failed', error: messageOf(error) });
    }
  }

  private setOutbox(clientId: string, change: Partial<OutboxItem>): void {
    this.store.update((s) => ({
      ...s,
      outbox: s.outbox.map((o) => (o.clientId === clientId ? { ...o, ...change } : o)),
    }));
  }

  /** Called on each keystroke in a composer: announces typing at most every few seconds, stops after a pause. */
  typingActivity(conversationId: string): void {
    const now = Date.now();
    if (now - (this.typingSentAt.get(conversationId) ?? 0) > TYPING_REFRESH_MS) {
      this.typingSentAt.set(conversationId, now);
      this.sendTyping(conversationId, true);
    }
    clearTimeout(this.typingIdle.get(conversationId));
    this.typingIdle.set(
      conversationId,
      setTimeout(() => this.stopTyping(conversationId), TYPING_IDLE_MS),
    );
  }

  stopTyping(conversationId: string): void {
    clearTimeout(this.typingIdle.get(conversationId));
    this.typingIdle.delete(conversationId);
    if (this.typingSentAt.delete(conversationId)) this.sendTyping(conversationId, false);
  }

  private sendTyping(conversationId: string, typing: boolean): void {
    if (!this.socket.isOpen) return;
    this.socket.request('typing.set', { conversationId, typing }).catch(() => {});
  }

  async setConversationStatus(conversationId: string, change: 'close' | 'reopen'): Promise<void> {
    const { conversation } =
      change === 'close'
        ? await this.http.closeConversation(conversationId)
        : await this.http.reopenConversation(conversationId);
    this.store.update((s) => withConversations(s, [conversation], true));
  }

  async setStatus(status: OperatorStatus): Promise<void> {
    const operator = await this.http.updateProfile({ status });
    this.store.update((s) => ({ ...s, operator }));
  }

  async updateProfile(displayName: string, avatar: Blob | null): Promise<void> {
    let operator = await this.http.updateProfile({ displayName });
    if (avatar) operator = await this.http.uploadAvatar(avatar);
    this.store.update((s) => ({ ...s, operator }));
  }

  /** The tab a conversation lives in, for jumping to it from the visitor card. */
  showConversation(conversation: ConversationDTO): void {
    this.store.update((s) => withConversations({ ...s, tab: tabOf(conversation) }, [conversation]));
    this.select(conversation.id);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
