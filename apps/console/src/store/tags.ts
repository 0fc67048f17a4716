/**
 * Tags, read receipts and first-message drafts in the inbox state (issue 11),
 * as pure functions: a site's tag list as the server last sent it, a
 * conversation's tags kept across snapshots that leave them out (the message
 * path's), the visitor's read mark that only moves forward, the tag filter
 * of the lists, and visitors typing a first message before any conversation.
 */
import type { ConversationDTO, TagDTO, VisitorDraftingDTO } from '@parley/protocol';
import type { InboxState } from './inbox-state';

/** A visitor typing a first message, as last heard (`at`: local time, for hiding a stale one). */
export interface FirstDraft {
  siteId: string;
  visitorName: string;
  preview: string;
  at: number;
}

/** How long a first draft stays shown without news: the widget says "stopped" after 4 s of silence. */
export const FIRST_DRAFT_STALE_MS = 10_000;

/**
 * What a new snapshot of a known row keeps from the old one: its tags when the
 * snapshot leaves them out, and the furthest read mark (reads only move forward,
 * and a snapshot taken before a receipt may arrive after it).
 */
export function keptFrom(item: ConversationDTO, known: ConversationDTO | undefined): ConversationDTO {
  if (!known) return item;
  const tags =
    item.tagIds === undefined && known.tagIds !== undefined
      ? { tagIds: known.tagIds, closeReasonTagId: known.closeReasonTagId ?? null }
      : null;
  const read = known.visitorReadSeq > item.visitorReadSeq ? known.visitorReadSeq : null;
  if (!tags && read === null) return item;
  return { ...item, ...tags, ...(read !== null && { visitorReadSeq: read }) };
}

export function withSiteTags(state: InboxState, siteId: string, tags: TagDTO[]): InboxState {
  const filterGone =
    state.tagFilter &&
    tags.every((t) => t.id !== state.tagFilter) &&
    state.siteTags[siteId]?.some((t) => t.id === state.tagFilter);
  return {
    ...state,
    siteTags: { ...state.siteTags, [siteId]: tags },
    ...(filterGone && { tagFilter: null }),
  };
}

/** The visitor has seen the conversation up to `seq` (operators' numbering). */
export function withVisitorRead(state: InboxState, conversationId: string, seq: number): InboxState {
  const conversation = state.conversations[conversationId];
  if (!conversation || conversation.visitorReadSeq >= seq) return state;
  return {
    ...state,
    conversations: { ...state.conversations, [conversationId]: { ...conversation, visitorReadSeq: seq } },
  };
}

export function withFirstDraft(
  state: InboxState,
  drafting: VisitorDraftingDTO,
  localNow: number,
): InboxState {
  const drafts = { ...state.firstDrafts };
  if (drafting.typing && drafting.preview) {
    drafts[drafting.visitorId] = {
      siteId: drafting.siteId,
      visitorName: drafting.visitorName,
      preview: drafting.preview,
      at: localNow,
    };
  } else if (drafts[drafting.visitorId]) delete drafts[drafting.visitorId];
  else return state;
  return { ...state, firstDrafts: drafts };
}

/** A visitor's conversation began: their first draft became its first message. */
export function withoutFirstDraft(state: InboxState, visitorId: string): InboxState {
  if (!state.firstDrafts[visitorId]) return state;
  const drafts = { ...state.firstDrafts };
  delete drafts[visitorId];
  return { ...state, firstDrafts: drafts };
}

/** Every tag the operator's sites have, by id. */
export function tagsById(siteTags: Record<string, TagDTO[]>): Map<string, TagDTO> {
  const byId = new Map<string, TagDTO>();
  for (const tags of Object.values(siteTags)) for (const tag of tags) byId.set(tag.id, tag);
  return byId;
}

/** Whether a row shows under the tag filter (no filter: every row). */
export function passesTagFilter(conversation: ConversationDTO, tagFilter: string | null): boolean {
  return !tagFilter || Boolean(conversation.tagIds?.includes(tagFilter));
}

/**
 * The operator's last message the visitor has seen: where the console writes
 * "Seen". Only public replies count (a visitor never sees a note).
 */
export function lastSeenReplySeq(
  messages: readonly { seq: number; visibility: string; author: { kind: string } }[],
  visitorReadSeq: number,
): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.seq <= visitorReadSeq && m.author.kind === 'operator' && m.visibility === 'public')
      return m.seq;
  }
  return null;
}
