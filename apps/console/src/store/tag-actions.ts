/**
 * What the operator does with tags and read receipts, for the Workspace:
 * loading each site's tags (at start and after every reconnect, since a
 * `tags.updated` may have been missed), creating and tagging, the tag filter
 * of the lists, the settings page's rename/recolour/delete, and telling the
 * server how far the operator has read (one frame per change, only forward).
 */
import type { ConversationDTO, TagColor, TagDTO } from '@parley/protocol';
import { withConversations } from './inbox-state';
import { withTabChange } from './lists';
import { withSiteTags } from './tags';
import type { WorkspaceDeps } from './workspace-deps';

export class TagActions {
  /** The last seq reported read, per conversation: a frame goes out only when it grows. */
  private readonly reported = new Map<string, number>();
  /** Reads made while the socket was down. */
  private readonly unsent = new Map<string, number>();

  constructor(
    private readonly deps: () => WorkspaceDeps,
    private readonly reloadTab: () => void,
  ) {}

  async loadSiteTags(): Promise<void> {
    const { store, http } = this.deps();
    await Promise.all(
      store.get().sites.map(async (site) => {
        try {
          const { tags } = await http.siteTags(site.id);
          store.update((s) => withSiteTags(s, site.id, tags));
        } catch {
          // Shown as "no tags yet"; the next reconnect tries again.
        }
      }),
    );
  }

  private applied(conversation: ConversationDTO): ConversationDTO {
    this.deps().store.update((s) => withConversations(s, [conversation]));
    return conversation;
  }

  private appliedTag(tag: TagDTO): TagDTO {
    const { store } = this.deps();
    store.update((s) => {
      const tags = (s.siteTags[tag.siteId] ?? []).filter((t) => t.id !== tag.id);
      tags.push(tag);
      tags.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
      return withSiteTags(s, tag.siteId, tags);
    });
    return tag;
  }

  async create(siteId: string, name: string, color?: TagColor): Promise<TagDTO> {
    return this.appliedTag((await this.deps().http.createTag(siteId, name, color)).tag);
  }

  /** Puts an existing tag on a conversation, or creates it first (by name) on the conversation's site. */
  async tag(conversation: ConversationDTO, tag: { id: string } | { name: string }): Promise<void> {
    const id = 'id' in tag ? tag.id : (await this.create(conversation.siteId, tag.name)).id;
    this.applied((await this.deps().http.tagConversation(conversation.id, id)).conversation);
  }

  async untag(conversationId: string, tagId: string): Promise<void> {
    this.applied((await this.deps().http.untagConversation(conversationId, tagId)).conversation);
  }

  async update(tagId: string, changes: { name?: string; color?: TagColor }): Promise<void> {
    this.appliedTag((await this.deps().http.updateTag(tagId, changes)).tag);
  }

  async remove(tag: TagDTO): Promise<void> {
    const { store, http } = this.deps();
    await http.deleteTag(tag.id);
    store.update((s) =>
      withSiteTags(
        s,
        tag.siteId,
        (s.siteTags[tag.siteId] ?? []).filter((t) => t.id !== tag.id),
      ),
    );
  }

  /** Shows only conversations with `tagId` (null: all): every tab is fetched again with the filter. */
  setFilter(tagId: string | null): void {
    const { store } = this.deps();
    if (store.get().tagFilter === tagId) return;
    store.update((s) => {
      let next = { ...s, tagFilter: tagId };
      for (const tab of ['open', 'closed', 'requests'] as const)
        next = withTabChange(next, tab, { loaded: false, nextCursor: null });
      return next;
    });
    this.reloadTab();
  }

  /** The operator has read `conversationId` up to `seq`: told once per new seq, never backwards. */
  markRead(conversationId: string, seq: number): void {
    const { socket } = this.deps();
    if (seq <= (this.reported.get(conversationId) ?? 0)) return;
    if (!socket.connected) {
      // Told when the socket is back (`flushReads`, after every connect).
      this.unsent.set(conversationId, Math.max(seq, this.unsent.get(conversationId) ?? 0));
      return;
    }
    this.reported.set(conversationId, seq);
    socket.request('conversation.read', { conversationId, seq }).catch(() => {
      // Not stored: the next look at the conversation tells it again.
      if (this.reported.get(conversationId) === seq) this.reported.delete(conversationId);
    });
  }

  /** Sends the reads made while the socket was down. */
  flushReads(): void {
    const reads = [...this.unsent];
    this.unsent.clear();
    for (const [conversationId, seq] of reads) this.markRead(conversationId, seq);
  }
}
