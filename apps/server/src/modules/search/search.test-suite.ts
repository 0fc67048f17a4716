/**
 * Search against a real Parley and a real PostgreSQL: word forms in Russian, English and
 * Armenian, word beginnings, typos, notes (found by operators; visitors cannot search at all),
 * other sites left out, filters, paging, and input that is tsquery or SQL syntax.
 */
import { API_PATHS, type HighlightedText, type MessageDTO, type SearchResults } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, api, type OperatorSession } from '../../testing/clients.js';
import {
  addOperator,
  closeAllSockets,
  connectOperator,
  connectVisitor,
  newClientId,
} from '../../testing/fixtures.js';
import { startTestParley, type TestParley, type TestParleyOptions } from '../../testing/test-parley.js';
import { addOperatorToSite, createSite } from '../sites/commands.js';
import { waitForSearchIndex } from './indexer.js';

export function defineSearchSuite(database: NonNullable<TestParleyOptions['database']>): void {
  let parley: TestParley;
  let admin: OperatorSession;
  let anna: OperatorSession;
  let otherSiteId: string;
  const ids: Record<string, MessageDTO> = {};

  beforeAll(async () => {
    parley = await startTestParley({ database, env: { VISITOR_MESSAGES_PER_MINUTE: '1000' } });
    const db = parley.services.ctx.db;
    const operator = await connectOperator(parley);
    admin = operator.session;
    anna = (await addOperator(parley, 'Anna')).session;

    const say = async (
      socket: Awaited<ReturnType<typeof connectVisitor>>['socket'],
      key: string,
      text: string,
    ) => {
      const ack = await socket.request<{ message: MessageDTO }>('message.send', {
        clientId: newClientId(),
        text,
      });
      ids[key] = ack.message;
      return ack.message;
    };
    const ru = await connectVisitor(parley);
    await say(ru.socket, 'ru', 'Здравствуйте! Где мой заказ? Доставка обещана на вторник.');
    await sql`UPDATE visitors SET name = 'Ануш Петросян', email = 'anush@shop.example' WHERE id = ${ru.session.visitorId}`.execute(
      db,
    );
    const en = await connectVisitor(parley);
    await say(en.socket, 'en', 'The delivery of my orders was late again');
    const hy = await connectVisitor(parley);
    await say(hy.socket, 'hy', 'Բարև, պատվերներ ունեմ, երբ կհասնեն?');
    const markup = await connectVisitor(parley);
    await say(markup.socket, 'markup', 'Is <b>bold</b> & "quoted" text about a заказ kept as text?');
    const note = await operator.socket.request<{ message: MessageDTO }>('message.send', {
      conversationId: ids.ru?.conversationId,
      clientId: newClientId(),
      text: 'Позвонить на склад насчёт заказа',
      visibility: 'internal',
    });
    ids.note = note.message;

    // Another site, which neither the admin nor Anna works on, with a message that would match.
    const other = await createSite(db, { name: 'Other shop', allowedOrigins: [], publicKey: 'other-shop' });
    otherSiteId = other.id;
    const stranger = await startVisitorSessionOn('other-shop');
    await stranger.socket.request('message.send', {
      clientId: newClientId(),
      text: 'Чужой заказ на другом сайте',
    });
    await closeAllSockets();
    await waitForSearchIndex(db);
  });
  afterAll(async () => {
    await closeAllSockets();
    await parley?.close();
  });

  async function startVisitorSessionOn(siteKey: string) {
    const { startVisitorSession, TestSocket } = await import('../../testing/clients.js');
    const session = await startVisitorSession(parley.url, siteKey);
    const socket = await TestSocket.visitor(parley.wsUrl, session.visitorToken);
    await socket.waitFor('session.ready');
    return { session, socket };
  }

  async function search(query: Record<string, string>, as: OperatorSession = admin) {
    const { body } = await api<SearchResults>(
      parley.url,
      `${API_PATHS.search}?${new URLSearchParams(query)}`,
      { cookie: as.cookie },
    );
    return body;
  }
  const found = (results: SearchResults) => results.messages.map((hit) => hit.message.id).sort();
  const marked = (parts: HighlightedText) => parts.filter((p) => p.hit).map((p) => p.text);
  const refusal = async (query: Record<string, string>, as: OperatorSession = admin) => {
    try {
      await search(query, as);
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, ...error.body.error };
      throw error;
    }
    throw new Error(`not refused: ${JSON.stringify(query)}`);
  };

  describe('word forms', () => {
    it('Russian: заказа finds заказ, marked; the note is found too', async () => {
      // The admin works on every site (the other one too): this looks at the demo site.
      const results = await search({ q: 'заказа', siteId: parley.demoSiteId });
      expect(results.match).toBe('words');
      expect(found(results)).toEqual([ids.ru?.id, ids.markup?.id, ids.note?.id].sort());
      const hit = results.messages.find((h) => h.message.id === ids.ru?.id);
      expect(hit?.snippet.map((p) => p.text).join('')).toBe(ids.ru?.text);
      expect(marked(hit?.snippet ?? [])).toEqual(['заказ']);
      expect(hit?.visitorName).toBe('Ануш Петросян');
      const note = results.messages.find((h) => h.message.id === ids.note?.id);
      expect(note?.message.visibility).toBe('internal');
    });

    it('English: ordered finds orders; deliveries finds delivery', async () => {
      expect(found(await search({ q: 'ordered' }))).toEqual([ids.en?.id]);
      const results = await search({ q: 'deliveries' });
      expect(found(results)).toEqual([ids.en?.id]);
      expect(marked(results.messages[0]?.snippet ?? [])).toEqual(['delivery']);
    });

    it('Armenian: պատվերներից finds պատվերներ', async () => {
      const results = await search({ q: 'պատվերներից' });
      expect(found(results)).toEqual([ids.hy?.id]);
      expect(marked(results.messages[0]?.snippet ?? [])).toEqual(['պատվերներ']);
    });

    it('a phrase in quotes, and a word excluded with a minus', async () => {
      expect(found(await search({ q: '"доставка обещана"' }))).toEqual([ids.ru?.id]);
      expect(found(await search({ q: '"обещана доставка"' }))).toEqual([]);
      expect(found(await search({ q: 'заказ -склад -bold', siteId: parley.demoSiteId }))).toEqual([
        ids.ru?.id,
      ]);
    });
  });

  describe('partial words and typos', () => {
    it('the start of a word finds the word', async () => {
      expect(found(await search({ q: 'дост' }))).toEqual([ids.ru?.id]);
      const results = await search({ q: 'deliv' });
      expect(found(results)).toEqual([ids.en?.id]);
      expect(marked(results.messages[0]?.snippet ?? [])).toEqual(['delivery']);
    });

    it('a misspelt word finds the message by similar spelling, marked', async () => {
      const results = await search({ q: 'delivey' });
      expect(results.match).toBe('similar');
      expect(found(results)).toEqual([ids.en?.id]);
      expect(marked(results.messages[0]?.snippet ?? [])).toEqual(['delivery']);
      const russian = await search({ q: 'заказт' });
      expect(russian.match).toBe('similar');
      expect(found(russian)).toContain(ids.ru?.id);
      expect(marked(russian.messages.find((h) => h.message.id === ids.ru?.id)?.snippet ?? [])).toEqual([
        'заказ',
      ]);
    });

    it('a part from inside a word finds the word, through the vocabulary', async () => {
      const results = await search({ q: 'аказ' });
      expect(results.match).toBe('similar');
      expect(found(results)).toContain(ids.ru?.id);
      // Words enter the vocabulary as messages are indexed: one written now is found a moment later.
      const visitor = await connectVisitor(parley);
      const { message } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
        clientId: newClientId(),
        text: 'Нужна консультация по гарантии',
      });
      await expect
        .poll(async () => found(await search({ q: 'горантии' })), { timeout: 5_000 })
        .toEqual([message.id]);
      expect((await search({ q: 'горантии' })).match).toBe('similar');
    });

    it('a word that looks like nothing finds nothing, quietly', async () => {
      const results = await search({ q: 'щщщщщ' });
      expect(results).toMatchObject({ match: 'words', messages: [], nextCursor: null });
    });
  });

  describe('visitors', () => {
    it('are found by a part of their name or email, and open their latest conversation', async () => {
      const byName = await search({ q: 'петрос' });
      expect(byName.visitors).toHaveLength(1);
      expect(byName.visitors[0]).toMatchObject({
        conversationId: ids.ru?.conversationId,
        email: [{ text: 'anush@shop.example', hit: false }],
      });
      expect(marked(byName.visitors[0]?.name ?? [])).toEqual(['Петрос']);
      const byEmail = await search({ q: '@shop.example' });
      expect(byEmail.visitors.map((v) => v.conversationId)).toEqual([ids.ru?.conversationId]);
      // % and _ are letters here, not patterns.
      expect((await search({ q: '%_%' }).catch(() => null))?.visitors ?? []).toEqual([]);
    });
  });

  describe('who may search what', () => {
    it('an operator finds only the sites they work on; naming another site is not found', async () => {
      const asAnna = await search({ q: 'заказ' }, anna);
      expect(asAnna.messages.every((h) => h.siteId === parley.demoSiteId)).toBe(true);
      expect(asAnna.messages.map((h) => h.message.text)).not.toContain('Чужой заказ на другом сайте');
      expect(await refusal({ q: 'заказ', siteId: otherSiteId }, anna)).toMatchObject({ status: 404 });
      // Once she works there, she finds it.
      const annaId = anna.operator.id;
      await addOperatorToSite(parley.services.ctx.db, otherSiteId, annaId);
      const everywhere = await search({ q: 'заказ' }, anna);
      expect(everywhere.messages.map((h) => h.message.text)).toContain('Чужой заказ на другом сайте');
      const onlyOther = await search({ q: 'заказ', siteId: otherSiteId }, anna);
      expect(onlyOther.messages.map((h) => h.siteId)).toEqual([otherSiteId]);
    });

    it('a visitor cannot search, not even with its own token', async () => {
      const visitor = await connectVisitor(parley);
      const response = await fetch(`${parley.url}${API_PATHS.search}?q=${encodeURIComponent('склад')}`, {
        headers: { authorization: `Bearer ${visitor.session.visitorToken}` },
      });
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('склад');
    });
  });

  describe('filters and paging', () => {
    it('by date range and by assignee', async () => {
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      expect(found(await search({ q: 'заказ', from: tomorrow }))).toEqual([]);
      expect(found(await search({ q: 'заказ', to: yesterday }))).toEqual([]);
      expect(found(await search({ q: 'ordered', from: yesterday, to: tomorrow }))).toEqual([ids.en?.id]);

      // The admin answers the English visitor: the conversation is theirs.
      await api(parley.url, API_PATHS.conversationMessages(ids.en?.conversationId ?? ''), {
        cookie: admin.cookie,
        csrfToken: admin.csrfToken,
        body: { clientId: newClientId(), text: 'Sorry about that' },
      });
      expect(found(await search({ q: 'ordered', assigneeId: admin.operator.id }))).toEqual([ids.en?.id]);
      expect(found(await search({ q: 'ordered', assigneeId: anna.operator.id }))).toEqual([]);
    });

    it('pages newest first with a cursor', async () => {
      const first = await search({ q: 'заказ', siteId: parley.demoSiteId, limit: '2' });
      expect(first.messages).toHaveLength(2);
      expect(first.nextCursor).not.toBeNull();
      const second = await search({
        q: 'заказ',
        siteId: parley.demoSiteId,
        limit: '2',
        cursor: first.nextCursor ?? '',
      });
      const all = [...first.messages, ...second.messages].map((h) => h.message.createdAt);
      expect(all).toEqual([...all].sort().reverse());
      expect(new Set([...found(first), ...found(second)]).size).toBe(3);
      expect(second.visitors).toEqual([]);
    });
  });

  describe('what search keeps', () => {
    it('a message is searchable a moment after it is written (the indexer runs by itself), and gone with its conversation', async () => {
      const db = parley.services.ctx.db;
      const visitor = await connectVisitor(parley);
      const { message } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
        clientId: newClientId(),
        text: 'Уникальный вопрос про самокат',
      });
      await expect
        .poll(async () => found(await search({ q: 'самоката' })), { timeout: 5_000 })
        .toEqual([message.id]);
      await sql`DELETE FROM conversations WHERE id = ${message.conversationId}`.execute(db);
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM message_search WHERE message_id = ${message.id}`.execute(db);
      expect(rows[0]?.n).toBe(0);
      expect(found(await search({ q: 'самоката' }))).toEqual([]);
    });
  });

  describe('bad input', () => {
    it('markup in a message comes back as text parts, never as markup', async () => {
      const results = await search({ q: 'bold' });
      const snippet = results.messages[0]?.snippet ?? [];
      expect(snippet.map((p) => p.text).join('')).toBe(ids.markup?.text);
      expect(marked(snippet)).toEqual(['bold']);
    });

    it('tsquery and SQL syntax is read as text: a clear 400 with nothing to search, else results', async () => {
      for (const q of ["'&|!():*<>\\", ':*', '!!', '-', '""'])
        expect(await refusal({ q })).toMatchObject({
          status: 400,
          code: 'bad_request',
          message: 'Search for at least one letter or digit',
        });
      for (const q of [
        "'; DROP TABLE messages; --",
        'заказ & (доставка | !вторник)',
        'заказ:* <-> где',
        "заказ' OR '1'='1",
        'заказ\\',
        '"незакрытая кавычка',
        'or or or',
      ]) {
        const results = await search({ q });
        expect(Array.isArray(results.messages), q).toBe(true);
      }
      expect(found(await search({ q: 'заказ & (доставка | !вторник)' }))).toContain(ids.ru?.id);
      const health = await fetch(`${parley.url}${API_PATHS.health}`);
      expect(health.status).toBe(200);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM messages`.execute(
        parley.services.ctx.db,
      );
      expect(rows[0]?.n).toBeGreaterThan(0);
    });

    it('empty, blank, too long, bad dates, a reversed range and a bad cursor are 400s', async () => {
      const queries: Record<string, string>[] = [
        { q: '' },
        { q: '   ' },
        { q: 'з'.repeat(201) },
        { q: 'заказ', from: 'yesterday' },
        { q: 'заказ', from: '2026-02-31' },
        { q: 'заказ', from: '2026-12-05', to: '2026-12-01' },
        { q: 'заказ', cursor: 'not-a-cursor' },
        { q: 'заказ', siteId: 'not-a-uuid' },
      ];
      for (const query of queries)
        expect(await refusal(query), JSON.stringify(query)).toMatchObject({
          status: 400,
          code: 'bad_request',
        });
    });
  });
}
