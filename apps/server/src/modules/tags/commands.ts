/**
 * Writes of tags: a site's tags (created on the fly by any operator; renamed,
 * recoloured and deleted by owners and admins) and the tags on a
 * conversation. Every change is announced after it is stored: a site's whole
 * tag list (`tags.updated`, small by `TAG_LIMITS.perSite`) or a conversation's
 * row read with its tags (`conversation.tagged`), so every console shows it live.
 */
import {
  type ConversationDTO,
  type CreateTagRequest,
  TAG_COLORS,
  TAG_LIMITS,
  type TagColor,
  type TagDTO,
  type UpdateTagRequest,
} from '@parley/protocol';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { TagRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import type { ConversationWithVisitor } from '../conversations/presenter.js';
import { findConversation } from '../conversations/queries.js';
import { conflict, DomainError, isUniqueViolation, notFound } from '../errors.js';
import { readSiteSettings } from '../sites/presenter.js';
import { findSiteById } from '../sites/queries.js';
import { presentConversationWithTags } from './conversations-with-tags.js';
import { presentTag } from './presenter.js';
import { findTag, listSiteTags } from './queries.js';

const duplicateName = (name: string) => conflict(`A tag named "${name}" exists already`);

/** The palette's least used colour on the site (the first such in palette order): new tags stay distinguishable. */
export function leastUsedColor(used: readonly TagColor[]): TagColor {
  const counts = new Map<TagColor, number>(TAG_COLORS.map((color) => [color, 0]));
  for (const color of used) counts.set(color, (counts.get(color) ?? 0) + 1);
  let best: TagColor = TAG_COLORS[0];
  for (const color of TAG_COLORS) if ((counts.get(color) ?? 0) < (counts.get(best) ?? 0)) best = color;
  return best;
}

async function publishSiteTags(ctx: DomainContext, siteId: string): Promise<void> {
  const tags = (await listSiteTags(ctx.db, siteId)).map(presentTag);
  await ctx.bus.publish({ type: 'tags.updated', siteId, tags });
}

/** A new tag of the site. Names are unique per site whatever their case. */
export async function tagCreator(
  ctx: DomainContext,
  siteId: string,
  props: CreateTagRequest,
): Promise<TagDTO> {
  const existing = await listSiteTags(ctx.db, siteId);
  if (existing.length >= TAG_LIMITS.perSite)
    throw conflict(`A site has at most ${TAG_LIMITS.perSite} tags; delete one first`);
  try {
    const row = await ctx.db
      .insertInto('tags')
      .values({
        site_id: siteId,
        name: props.name,
        color: props.color ?? leastUsedColor(existing.map((tag) => tag.color)),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await publishSiteTags(ctx, siteId);
    return presentTag(row);
  } catch (error) {
    if (isUniqueViolation(error, 'tags_site_name')) throw duplicateName(props.name);
    throw error;
  }
}

export async function tagUpdater(
  ctx: DomainContext,
  tag: TagRow,
  changes: UpdateTagRequest,
): Promise<TagDTO> {
  try {
    const row = await ctx.db
      .updateTable('tags')
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.color !== undefined && { color: changes.color }),
      })
      .where('id', '=', tag.id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Tag');
    await publishSiteTags(ctx, tag.site_id);
    return presentTag(row);
  } catch (error) {
    if (isUniqueViolation(error, 'tags_site_name')) throw duplicateName(changes.name ?? tag.name);
    throw error;
  }
}

/** Deletes a tag, and with it its place on every conversation (consoles drop ids they no longer know). */
export async function tagDeleter(ctx: DomainContext, tag: TagRow): Promise<void> {
  await ctx.db.deleteFrom('tags').where('id', '=', tag.id).execute();
  await publishSiteTags(ctx, tag.site_id);
}

/** A tag of the conversation's site; another site's tag is "not found", like a missing one. */
export async function loadTagOfSite(db: Queryable, siteId: string, tagId: string): Promise<TagRow> {
  const tag = await findTag(db, tagId);
  if (!tag || tag.site_id !== siteId) throw notFound('Tag');
  return tag;
}

async function publishTagged(ctx: DomainContext, conversationId: string): Promise<ConversationDTO> {
  const row = await findConversation(ctx.db, conversationId);
  if (!row) throw notFound('Conversation');
  const conversation = await presentConversationWithTags(ctx.db, row);
  await ctx.bus.publish({
    type: 'conversation.tagged',
    siteId: row.site_id,
    visitorId: row.visitor_id,
    conversation,
  });
  return conversation;
}

/**
 * Puts a tag on a conversation; putting it there again changes nothing. The
 * count is checked in the insert itself, so two operators tagging at once
 * cannot pass the limit together.
 */
export async function conversationTagAdder(
  ctx: DomainContext,
  props: { conversation: ConversationWithVisitor; tagId: string; operatorId: string },
): Promise<ConversationDTO> {
  const { conversation } = props;
  await loadTagOfSite(ctx.db, conversation.site_id, props.tagId);
  const { rows } = await sql<{ inserted: boolean }>`
    WITH present AS (
      SELECT count(*) AS n, bool_or(tag_id = ${props.tagId}) AS has
      FROM conversation_tags WHERE conversation_id = ${conversation.id}
    ),
    added AS (
      INSERT INTO conversation_tags (conversation_id, tag_id, added_by)
      SELECT ${conversation.id}, ${props.tagId}, ${props.operatorId}
      FROM present WHERE n < ${TAG_LIMITS.perConversation} AND NOT coalesce(has, false)
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM added) AS inserted,
           (SELECT coalesce(has, false) FROM present) AS has`.execute(ctx.db);
  const outcome = rows[0] as { inserted: boolean; has: boolean } | undefined;
  if (!outcome?.inserted && !outcome?.has)
    throw conflict(`A conversation has at most ${TAG_LIMITS.perConversation} tags`);
  return outcome.inserted ? publishTagged(ctx, conversation.id) : presentUnchanged(ctx, conversation);
}

/** Takes a tag off a conversation (its close reason too, if it was that); a tag not on it changes nothing. */
export async function conversationTagRemover(
  ctx: DomainContext,
  props: { conversation: ConversationWithVisitor; tagId: string },
): Promise<ConversationDTO> {
  const { conversation } = props;
  await loadTagOfSite(ctx.db, conversation.site_id, props.tagId);
  const removed = await ctx.db
    .deleteFrom('conversation_tags')
    .where('conversation_id', '=', conversation.id)
    .where('tag_id', '=', props.tagId)
    .executeTakeFirst();
  return removed.numDeletedRows > 0n
    ? publishTagged(ctx, conversation.id)
    : presentUnchanged(ctx, conversation);
}

const presentUnchanged = (ctx: DomainContext, conversation: ConversationWithVisitor) =>
  presentConversationWithTags(ctx.db, conversation);

/**
 * The reason a conversation is being closed with: the tag named, which must be
 * the conversation's site's; none is needed unless the site asks for one
 * (`askCloseReason`), and then closing without one is refused before anything
 * is written.
 */
export async function closeReasonOf(
  db: Queryable,
  conversation: ConversationWithVisitor,
  reasonTagId: string | undefined,
): Promise<string | null> {
  if (reasonTagId) return (await loadTagOfSite(db, conversation.site_id, reasonTagId)).id;
  const site = await findSiteById(db, conversation.site_id);
  if (site && readSiteSettings(site.settings).askCloseReason)
    throw new DomainError('bad_request', 'This site asks for a reason to close a conversation: choose a tag');
  return null;
}
