/**
 * The operator's mentions in colleagues' notes: the recent list and the
 * unread count, loaded at start and after every reconnect (so one made while
 * this console was closed shows), with live ones added as they come. Its own
 * small store, apart from the inbox's, so a mention re-renders only the badge.
 */
import { API_PATHS, type MentionDTO, type MentionList } from '@parley/protocol';
import type { HttpClient } from '../api/http-client';
import { Store } from './store';

export interface MentionsState {
  items: MentionDTO[];
  unreadCount: number;
  loaded: boolean;
}

/** A live mention joins the list once (a re-announced note may bring it again) and counts as unread. */
export function withMention(state: MentionsState, mention: MentionDTO): MentionsState {
  if (state.items.some((m) => m.id === mention.id)) return state;
  return {
    ...state,
    items: [mention, ...state.items],
    unreadCount: state.unreadCount + (mention.readAt ? 0 : 1),
  };
}

export class Mentions {
  readonly store = new Store<MentionsState>({ items: [], unreadCount: 0, loaded: false });

  constructor(
    private readonly http: HttpClient,
    private readonly onLive: (mention: MentionDTO) => void,
  ) {}

  async load(): Promise<void> {
    const list = await this.http.request<MentionList>(API_PATHS.mentions).catch(() => null);
    if (list) this.store.update(() => ({ ...list, loaded: true }));
  }

  receive(mention: MentionDTO): void {
    const before = this.store.get();
    this.store.update((s) => withMention(s, mention));
    if (this.store.get() !== before) this.onLive(mention);
  }

  /** Marks the given mentions read (all, without ids). */
  async markRead(ids?: string[]): Promise<void> {
    const list = await this.http.request<MentionList>(API_PATHS.mentionsRead, { json: ids ? { ids } : {} });
    this.store.update(() => ({ ...list, loaded: true }));
  }
}
