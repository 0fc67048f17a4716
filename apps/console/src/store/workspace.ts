/**
 * The operator's workspace: the one object the React code talks to. It owns
 * the store, the HTTP client and the socket, and hands each concern to its
 * module — socket-events (event → store), threads (messages fetched and
 * received), lists (the tabs' pages), outbox (replies until the server has
 * them), typing (the operator's own), navigation (tab, selection, URL) and
 * resync (after every connect). Components read the store and call the
 * methods here; nothing else changes the state.
 */
import type {
  AttachmentDTO,
  ConversationDetail,
  ConversationDTO,
  ConversationList,
  MentionDTO,
  OperatorStatus,
  SessionResponse,
  SiteDTO,
  Visibility,
} from '@parley/protocol';
import { ApiError, type HttpClient } from '../api/http-client';
import { createOperatorSocket, type OperatorSocket } from '../api/socket-client';
import { type InboxState, initialInboxState, type Tab, withConversations } from './inbox-state';
import { loadTab, setSegmentFilter } from './lists';
import { withConnection } from './live-events';
import { Mentions } from './mentions';
import { Navigation } from './navigation';
import { Outbox } from './outbox';
import { checkMissedEvents, resync } from './resync';
import { conversationIdFromPath } from './routes';
import { loadSiteSegments } from './segments';
import { withSiteFilter, withSites } from './sites';
import { socketEventHandlers } from './socket-events';
import { Store } from './store';
import { TagActions } from './tag-actions';
import { Threads } from './threads';
import { TypingAnnouncer } from './typing';
import { VisitorsNowFeed } from './visitors-now';
import type { Arrival, WorkspaceDeps } from './workspace-deps';

export type { Arrival } from './workspace-deps';

/** Requests started at boot, in parallel with the session check; null when they failed (e.g. not logged in yet). */
export interface Prefetched {
  openList: Promise<ConversationList | null>;
  conversation?: Promise<ConversationDetail | null>;
}

export interface WorkspaceOptions {
  onArrival(arrival: Arrival): void;
  /** A colleague named this operator in a note, just now. */
  onMention?(mention: MentionDTO): void;
  onSessionEnded(): void;
}

export class Workspace {
  readonly store: Store<InboxState>;
  private readonly socket: OperatorSocket;
  private readonly deps: WorkspaceDeps;
  private readonly threads: Threads;
  private readonly outbox: Outbox;
  private readonly typing: TypingAnnouncer;
  private readonly navigation: Navigation;
  /** Mentions of this operator in colleagues' notes. */
  readonly mentions: Mentions;
  /** "Visitors now": the watched site's live list (its own store, apart from the inbox's). */
  readonly visitorsNow: VisitorsNowFeed;

  constructor(
    readonly http: HttpClient,
    session: SessionResponse,
    options: WorkspaceOptions,
  ) {
    this.store = new Store(initialInboxState(session.operator, session.sites));
    this.mentions = new Mentions(http, (mention) => options.onMention?.(mention));
    this.socket = createOperatorSocket({
      handlers: socketEventHandlers({
        store: this.store,
        onArrival: options.onArrival,
        receive: ({ message, conversation }) => this.threads.receive(message, true, conversation),
        resync: () => {
          void resync(this.deps, this.threads, this.outbox);
          void this.mentions.load();
          // A tag list changed while the socket was away would otherwise stay stale.
          void this.tags.loadSiteTags();
          this.tags.flushReads();
          void this.visitorsNow.resync();
        },
        onMention: (mention) => this.mentions.receive(mention),
        onVisitorsActivity: (batch) => this.visitorsNow.receive(batch),
      }),
      onState: (connection) => this.store.update((s) => withConnection(s, connection)),
      onUnauthorized: () => options.onSessionEnded(),
      // Only a 401 ends it: a network failure or a server away is retried as usual.
      stillAllowed: () =>
        http.me().then(
          () => true,
          (error) => !(error instanceof ApiError && error.status === 401),
        ),
      onCheck: () => void checkMissedEvents(this.deps, this.threads),
    });
    this.deps = { store: this.store, http, socket: this.socket, onArrival: options.onArrival };
    this.threads = new Threads(this.deps);
    this.outbox = new Outbox(this.deps, (message) => this.threads.receive(message, false));
    this.typing = new TypingAnnouncer((conversationId, typing) => {
      if (this.socket.connected)
        this.socket.request('typing.set', { conversationId, typing }).catch(() => {});
    });
    this.navigation = new Navigation(this.deps, this.threads);
    this.visitorsNow = new VisitorsNowFeed(http, this.socket);
  }

  start(prefetched?: Prefetched): void {
    this.socket.start();
    void loadTab(this.deps, this.store.get().tab, false, prefetched?.openList);
    void loadSiteSegments(this.deps);
    const fromUrl = conversationIdFromPath(location.pathname);
    if (fromUrl) {
      if (prefetched?.conversation) void this.threads.load(fromUrl, prefetched.conversation);
      this.select(fromUrl);
    }
  }

  stop(): void {
    this.visitorsNow.open(null);
    this.socket.close(false);
    this.typing.dispose();
  }

  /** Drops the socket as a network failure would (it comes back by itself). */
  dropConnection(): void {
    this.socket.close(true);
  }

  loadTab(tab: Tab, more = false): Promise<void> {
    return loadTab(this.deps, tab, more);
  }

  selectTab(tab: Tab): void {
    this.navigation.selectTab(tab);
  }

  /** The inbox's segment filter (issue 12): conversations of one segment's visitors, or (null) all. */
  setSegmentFilter(segmentId: string | null): void {
    setSegmentFilter(this.deps, segmentId);
  }

  /** The inbox's site switcher: one site's conversations, or (null) all the operator's. */
  selectSite(siteId: string | null): void {
    this.store.update((s) => withSiteFilter(s, siteId));
    void loadTab(this.deps, this.store.get().tab);
  }

  /** Adds a site (owners and admins); it joins the operator's list at once, before the server's news. */
  async createSite(name: string): Promise<SiteDTO> {
    const site = await this.http.createSite({ name });
    this.store.update((s) =>
      s.sites.some((known) => known.id === site.id) ? s : withSites(s, [...s.sites, site]),
    );
    return site;
  }

  /** Deletes a site with everything it holds (owners and admins). */
  async deleteSite(siteId: string): Promise<void> {
    await this.http.deleteSite(siteId);
    this.store.update((s) =>
      withSites(
        s,
        s.sites.filter((site) => site.id !== siteId),
      ),
    );
  }

  select(conversationId: string | null): void {
    this.navigation.select(conversationId);
  }

  /** Moves the selection through the current tab's list (keyboard shortcuts). */
  selectRelative(delta: 1 | -1): void {
    this.navigation.selectRelative(delta);
  }

  /** The tab a conversation lives in, for jumping to it from a notification or the visitor card. */
  showConversation(conversation: ConversationDTO): void {
    this.navigation.showConversation(conversation);
  }

  loadEarlier(conversationId: string): Promise<void> {
    return this.threads.loadEarlier(conversationId);
  }

  setDraft(conversationId: string, text: string): void {
    this.store.update((s) => ({ ...s, drafts: { ...s.drafts, [conversationId]: text } }));
  }

  /** Sends a reply, or with `internal` a note only operators see. */
  send(conversationId: string, text: string, visibility?: Visibility): void {
    this.typing.stop(conversationId);
    this.outbox.send(conversationId, text, visibility);
  }

  sendFiles(conversationId: string, files: readonly AttachmentDTO[]): void {
    this.outbox.sendFiles(conversationId, files);
  }

  retry(clientId: string): void {
    this.outbox.retry(clientId);
  }

  discard(clientId: string): void {
    this.outbox.discard(clientId);
  }

  /** Called on each keystroke in a composer. */
  typingActivity(conversationId: string): void {
    this.typing.activity(conversationId);
  }

  stopTyping(conversationId: string): void {
    this.typing.stop(conversationId);
  }

  /** Tells colleagues this console shows (or stopped showing) a conversation: routing's collision warning. */
  setViewing(conversationId: string, viewing: boolean): void {
    if (this.socket.connected)
      this.socket.request('conversation.viewing', { conversationId, viewing }).catch(() => {});
  }

  /** `reasonTagId`: why it is closed, when the site asks (see features/tags). */
  async setConversationStatus(
    conversationId: string,
    change: 'close' | 'reopen',
    reasonTagId?: string,
  ): Promise<void> {
    const { conversation } =
      change === 'close'
        ? await this.http.closeConversation(conversationId, reasonTagId)
        : await this.http.reopenConversation(conversationId);
    this.store.update((s) => withConversations(s, [conversation]));
  }

  /** Tags, the tag filter and read receipts (issue 11). */
  readonly tags = new TagActions(
    () => this.deps,
    () => void this.loadTab(this.store.get().tab),
  );

  async setStatus(status: OperatorStatus): Promise<void> {
    const operator = await this.http.updateProfile({ status });
    this.store.update((s) => ({ ...s, operator }));
  }

  async updateProfile(displayName: string, avatar: Blob | null): Promise<void> {
    let operator = await this.http.updateProfile({ displayName });
    if (avatar) operator = await this.http.uploadAvatar(avatar);
    this.store.update((s) => ({ ...s, operator }));
  }
}
