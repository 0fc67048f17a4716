/**
 * Tags and close reasons on a real PostgreSQL over real HTTP and sockets:
 * a site's tags (created on the fly with a palette colour, unique names,
 * limits), tags on conversations reaching other consoles live, the inbox
 * filtered by a tag, and closing with a reason when the site asks for one.
 * Every refusal is a clear error that writes nothing.
 */
import {
  API_PATHS,
  type ConversationDTO,
  type ConversationList,
  type ConversationResponse,
  TAG_COLORS,
  TAG_LIMITS,
  type TagDTO,
  type TagList,
  type TagResponse,
  type TagsUpdatedDTO,
} from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, api, asOperator, type OperatorSession } from '../../testing/clients.js';
import {
  addOperator,
  closeAllSockets,
  connectOperator,
  connectVisitor,
  newClientId,
  snapshotRows,
} from '../../testing/fixtures.js';
import { startTestParley, type TestParley } from '../../testing/test-parley.js';
import { createSite } from '../sites/commands.js';
import { leastUsedColor } from './commands.js';

let parley: TestParley;
let admin: OperatorSession;

beforeAll(async () => {
  parley = await startTestParley();
  admin = (await connectOperator(parley)).session;
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

function createTag(body: unknown, siteId = parley.demoSiteId, session = admin) {
  return api<TagResponse>(parley.url, API_PATHS.siteTags(siteId), { body, ...asOperator(session) }).then(
    (r) => r.body.tag,
  );
}

async function refusal(call: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError) {
      const { code, message, issues } = error.body.error;
      // A validation error names what was wrong in its issues.
      const detail = issues?.map((issue) => issue.message).join('; ');
      return { status: error.status, code, message: detail ? `${message}: ${detail}` : message };
    }
    throw error;
  }
  throw new Error('the call was not refused');
}

/** A visitor's new open conversation on the demo site. */
async function newConversation(): Promise<string> {
  const visitor = await connectVisitor(parley);
  const { message } = await visitor.socket.request<{ message: { conversationId: string } }>('message.send', {
    clientId: newClientId(),
    text: 'Do you ship to Yerevan?',
  });
  return message.conversationId;
}

const tagConversation = (conversationId: string, tagId: string, session = admin) =>
  api<ConversationResponse>(parley.url, API_PATHS.conversationTags(conversationId), {
    body: { tagId },
    ...asOperator(session),
  }).then((r) => r.body.conversation);

describe('a site’s tags', () => {
  it('are created on the fly with the least used palette colour, listed by name, announced live', async () => {
    const { socket } = await connectOperator(parley);
    const first = await createTag({ name: 'Delivery' });
    expect(first).toMatchObject({ name: 'Delivery', siteId: parley.demoSiteId });
    expect(TAG_COLORS).toContain(first.color);
    const second = await createTag({ name: '  Refund  ' });
    expect(second.name).toBe('Refund');
    expect(second.color).not.toBe(first.color);
    const chosen = await createTag({ name: 'Wholesale', color: 'purple' });
    expect(chosen.color).toBe('purple');

    const update = await socket.waitFor<TagsUpdatedDTO>('tags.updated', (e) =>
      e.tags.some((t) => t.id === chosen.id),
    );
    expect(update.siteId).toBe(parley.demoSiteId);
    const { body } = await api<TagList>(parley.url, API_PATHS.siteTags(parley.demoSiteId), asOperator(admin));
    const names = body.tags.map((t) => t.name);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names).toEqual(expect.arrayContaining(['Delivery', 'Refund', 'Wholesale']));
  });

  it('picks colours round the palette', () => {
    expect(leastUsedColor([])).toBe(TAG_COLORS[0]);
    expect(leastUsedColor([TAG_COLORS[0]])).toBe(TAG_COLORS[1]);
    expect(leastUsedColor([...TAG_COLORS, TAG_COLORS[0]])).toBe(TAG_COLORS[1]);
  });

  it('refuses empty, oversized, duplicate (in any case) and badly coloured names, writing nothing', async () => {
    await createTag({ name: 'Complaint' });
    const before = await snapshotRows(parley.services.ctx.db);
    const cases: [unknown, number, RegExp][] = [
      [{ name: '' }, 400, /needs a name/],
      [{ name: '    ' }, 400, /needs a name/],
      [{ name: 'x'.repeat(TAG_LIMITS.name + 1) }, 400, /at most 40/],
      [{ name: 'complaint' }, 409, /"complaint" exists already/],
      [{ name: 'Colourful', color: '#ff0000' }, 400, /Invalid option/i],
      [{ name: `NUL${String.fromCharCode(0)}` }, 400, /NUL/],
      [{ name: 'Extra', extra: true }, 400, /.+/],
    ];
    for (const [body, status, message] of cases) {
      const answer = await refusal(createTag(body));
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.message, JSON.stringify(body)).toMatch(message);
    }
    const refund = await refusal(
      api(parley.url, API_PATHS.tag((await createTag({ name: 'Returns' })).id), {
        method: 'PATCH',
        body: { name: 'COMPLAINT' },
        ...asOperator(admin),
      }),
    );
    expect(refund).toMatchObject({ status: 409, code: 'conflict' });
    const after = await snapshotRows(parley.services.ctx.db);
    // Only the tag made for the rename above was written.
    expect({ ...after, tags: '' }).toEqual({ ...before, tags: '' });
  });

  it('are renamed, recoloured and deleted by an admin; deleting takes the tag off its conversations', async () => {
    const conversationId = await newConversation();
    const tag = await createTag({ name: 'Old name' });
    await tagConversation(conversationId, tag.id);
    const { socket } = await connectOperator(parley);
    const renamed = await api<TagResponse>(parley.url, API_PATHS.tag(tag.id), {
      method: 'PATCH',
      body: { name: 'New name', color: 'teal' },
      ...asOperator(admin),
    });
    expect(renamed.body.tag).toMatchObject({ id: tag.id, name: 'New name', color: 'teal' });
    await socket.waitFor<TagsUpdatedDTO>('tags.updated', (e) =>
      e.tags.some((t) => t.id === tag.id && t.name === 'New name'),
    );
    expect(
      (
        await refusal(
          api(parley.url, API_PATHS.tag(tag.id), { method: 'PATCH', body: {}, ...asOperator(admin) }),
        )
      ).status,
    ).toBe(400);

    await api(parley.url, API_PATHS.tag(tag.id), { method: 'DELETE', ...asOperator(admin) });
    await socket.waitFor<TagsUpdatedDTO>('tags.updated', (e) => !e.tags.some((t) => t.id === tag.id));
    const { body } = await api<{ conversation: ConversationDTO }>(
      parley.url,
      API_PATHS.conversation(conversationId),
      asOperator(admin),
    );
    expect(body.conversation.tagIds).toEqual([]);
    expect(
      await refusal(api(parley.url, API_PATHS.tag(tag.id), { method: 'DELETE', ...asOperator(admin) })),
    ).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('stop at the limit per site', async () => {
    const site = await createSite(parley.services.ctx.db, { name: 'Full shop', allowedOrigins: [] });
    await parley.services.ctx.db
      .insertInto('tags')
      .values(
        Array.from({ length: TAG_LIMITS.perSite }, (_, i) => ({
          site_id: site.id,
          name: `t${i}`,
          color: 'gray',
        })),
      )
      .execute();
    const { session } = await addOperator(parley, 'Fullsite', site.id).then(async (added) => ({
      session: added.session,
    }));
    expect(await refusal(createTag({ name: 'One more' }, site.id, session))).toMatchObject({
      status: 409,
      message: expect.stringMatching(/at most 200 tags/),
    });
  });
});

describe('tags on a conversation', () => {
  it('reach every console live, are idempotent, and appear on the rows of lists', async () => {
    const conversationId = await newConversation();
    const tag = await createTag({ name: 'VIP' });
    const colleague = await addOperator(parley, 'Tagwatcher');
    const { socket } = await connectOperator(parley);

    const tagged = await tagConversation(conversationId, tag.id, colleague.session);
    expect(tagged.tagIds).toEqual([tag.id]);
    const live = await socket.waitFor<ConversationDTO>(
      'conversation.updated',
      (c) => c.id === conversationId && (c.tagIds ?? []).includes(tag.id),
    );
    expect(live.closeReasonTagId).toBeNull();
    // Again: nothing changes.
    expect((await tagConversation(conversationId, tag.id)).tagIds).toEqual([tag.id]);

    const list = await api<ConversationList>(
      parley.url,
      `${API_PATHS.conversations}?siteId=${parley.demoSiteId}&tagId=${tag.id}`,
      asOperator(admin),
    );
    expect(list.body.items.map((c) => c.id)).toEqual([conversationId]);
    expect(list.body.items[0]?.tagIds).toEqual([tag.id]);

    const removed = await api<ConversationResponse>(
      parley.url,
      API_PATHS.conversationTag(conversationId, tag.id),
      {
        method: 'DELETE',
        ...asOperator(admin),
      },
    );
    expect(removed.body.conversation.tagIds).toEqual([]);
    await socket.waitFor<ConversationDTO>(
      'conversation.updated',
      (c) => c.id === conversationId && c.tagIds?.length === 0,
    );
    const empty = await api<ConversationList>(
      parley.url,
      `${API_PATHS.conversations}?tagId=${tag.id}`,
      asOperator(admin),
    );
    expect(empty.body.items).toEqual([]);
  });

  it('refuse an unknown tag, another site’s tag and a bad id, writing nothing', async () => {
    const conversationId = await newConversation();
    const other = await createSite(parley.services.ctx.db, { name: 'Other shop', allowedOrigins: [] });
    const [foreign] = await parley.services.ctx.db
      .insertInto('tags')
      .values({ site_id: other.id, name: 'Foreign', color: 'red' })
      .returning('id')
      .execute();
    const before = await snapshotRows(parley.services.ctx.db);
    expect(await refusal(tagConversation(conversationId, crypto.randomUUID()))).toEqual({
      status: 404,
      code: 'not_found',
      message: 'Tag not found',
    });
    expect(await refusal(tagConversation(conversationId, foreign?.id ?? ''))).toEqual({
      status: 404,
      code: 'not_found',
      message: 'Tag not found',
    });
    expect(await refusal(tagConversation(conversationId, 'not-a-uuid'))).toMatchObject({ status: 400 });
    expect(
      await refusal(
        api(parley.url, API_PATHS.conversationTag(conversationId, foreign?.id ?? ''), {
          method: 'DELETE',
          ...asOperator(admin),
        }),
      ),
    ).toMatchObject({ status: 404 });
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
  });

  it('stop at the limit per conversation', async () => {
    const conversationId = await newConversation();
    const tags: TagDTO[] = [];
    for (let i = 0; i <= TAG_LIMITS.perConversation; i++) tags.push(await createTag({ name: `Many ${i}` }));
    for (const tag of tags.slice(0, TAG_LIMITS.perConversation))
      await tagConversation(conversationId, tag.id);
    const last = tags.at(-1) as TagDTO;
    expect(await refusal(tagConversation(conversationId, last.id))).toMatchObject({
      status: 409,
      message: expect.stringMatching(/at most 20 tags/),
    });
  });
});

describe('closing with a reason', () => {
  const close = (conversationId: string, body: unknown = {}) =>
    api<ConversationResponse>(parley.url, API_PATHS.closeConversation(conversationId), {
      body,
      ...asOperator(admin),
    }).then((r) => r.body.conversation);
  const setAskCloseReason = (askCloseReason: boolean) =>
    api(parley.url, API_PATHS.site(parley.demoSiteId), {
      method: 'PATCH',
      body: { settings: { askCloseReason } },
      ...asOperator(admin),
    });

  it('is optional while the site does not ask (the default)', async () => {
    const closed = await close(await newConversation());
    expect(closed).toMatchObject({ status: 'closed', tagIds: [], closeReasonTagId: null });
  });

  it('is required once the site asks: without one, or with another site’s tag, nothing is written', async () => {
    const reason = await createTag({ name: 'Resolved' });
    const other = await createSite(parley.services.ctx.db, { name: 'Third shop', allowedOrigins: [] });
    const [foreign] = await parley.services.ctx.db
      .insertInto('tags')
      .values({ site_id: other.id, name: 'Resolved', color: 'green' })
      .returning('id')
      .execute();
    await setAskCloseReason(true);
    try {
      const conversationId = await newConversation();
      const before = await snapshotRows(parley.services.ctx.db);
      expect(await refusal(close(conversationId))).toMatchObject({
        status: 400,
        message: expect.stringMatching(/asks for a reason/),
      });
      expect(await refusal(close(conversationId, { reasonTagId: foreign?.id }))).toMatchObject({
        status: 404,
      });
      expect(await refusal(close(conversationId, { reasonTagId: 'resolved' }))).toMatchObject({
        status: 400,
      });
      expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);

      const { socket } = await connectOperator(parley);
      const closed = await close(conversationId, { reasonTagId: reason.id });
      expect(closed).toMatchObject({ status: 'closed', tagIds: [reason.id], closeReasonTagId: reason.id });
      await socket.waitFor<ConversationDTO>(
        'conversation.updated',
        (c) => c.id === conversationId && c.closeReasonTagId === reason.id,
      );

      // Reopened and closed again for another reason: the latest is the reason, the first stays a tag.
      const other = await createTag({ name: 'Spam' });
      await api(parley.url, API_PATHS.reopenConversation(conversationId), { body: {}, ...asOperator(admin) });
      const again = await close(conversationId, { reasonTagId: other.id });
      expect(again).toMatchObject({ tagIds: [reason.id, other.id], closeReasonTagId: other.id });
    } finally {
      await setAskCloseReason(false);
    }
  });
});
