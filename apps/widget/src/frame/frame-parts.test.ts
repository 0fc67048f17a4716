/**
 * The chat frame's parts that hold its rules, tested without a browser: the
 * session request and language, the timeline's order and unsent entries,
 * the feed's catch-up and gap healing, the stored outbox, and what the
 * footer shows. (The wiring in app.ts is proven in Chromium by e2e/widget-*.)
 */
import type { SyncPage } from '@parley/client';
import type { AuthorDTO, MessageDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import type { SafeStorage } from '../shared/safe-storage.js';
import { footerFor } from './availability.js';
import { createConversationFeed } from './conversation-feed.js';
import { readOutbox, storedOutbox } from './outbox.js';
import { chatLanguage, readRequest, sessionRequest, withToken } from './session.js';
import { createTimelineModel } from './timeline-model.js';

const VISITOR: AuthorDTO = { kind: 'visitor', id: null, name: null, avatarUrl: null };
const ANNA: AuthorDTO = { kind: 'operator', id: 'op-anna', name: 'Anna', avatarUrl: null };

function message(seq: number, author = ANNA, extra: Partial<MessageDTO> = {}): MessageDTO {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    clientId: null,
    author,
    text: `text ${seq}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 10, seq)).toISOString(),
    ...extra,
  } as MessageDTO;
}

function memoryStorage(): SafeStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: (key) => data.get(key) ?? null,
    set: (key, value) => void data.set(key, value),
    remove: (key) => void data.delete(key),
  };
}

describe('session', () => {
  const init = {
    siteKey: 'demo',
    visitorToken: null,
    page: { url: 'https://shop.example/', title: 'Shop', referrer: '' },
  };

  it('resumes the stored token, and starts afresh when storage holds something that cannot be one', () => {
    const page = { url: 'https://shop.example/', title: 'Shop' };
    expect(sessionRequest(init, 'tok', page, 'ru-RU')).toEqual({
      siteKey: 'demo',
      visitorToken: 'tok',
      page,
      language: 'ru-RU',
    });
    expect(sessionRequest({ ...init, visitorToken: 'from-page' }, 'tok', page, 'en').visitorToken).toBe(
      'from-page',
    );
    expect(withToken('x'.repeat(10_000))).toEqual({});
    expect(withToken(null)).toEqual({});
    const referred = sessionRequest(
      { ...init, page: { ...init.page, referrer: 'https://search.example/?q=shoes' } },
      null,
      page,
      'en',
    );
    expect(referred).toMatchObject({ referrer: 'https://search.example/?q=shoes' });
  });

  it("sends the tracker's new visitor key only when there is no token to resume", () => {
    const page = { url: 'https://shop.example/', title: 'Shop' };
    const key = 'a'.repeat(32);
    expect(sessionRequest({ ...init, newVisitorKey: key }, null, page, 'en').newVisitorKey).toBe(key);
    const resumed = sessionRequest({ ...init, newVisitorKey: key }, 'tok', page, 'en');
    expect(resumed).toMatchObject({ visitorToken: 'tok' });
    expect(resumed).not.toHaveProperty('newVisitorKey');
  });

  it("speaks the site's language, or on 'auto' the page's and then the browser's", () => {
    expect(chatLanguage({ language: 'hy' }, 'ru', ['en'])).toBe('hy');
    expect(chatLanguage({ language: 'auto' }, 'ru', ['en'])).toBe('ru');
    expect(chatLanguage({ language: 'auto' }, null, ['de-DE', 'hy-AM'])).toBe('hy');
    expect(chatLanguage({ language: 'auto' }, null, ['de'])).toBe('en');
  });

  it('reads back only a whole saved request', () => {
    const request = { clientId: 'c-123456789', email: 'a@b.example', text: 'call me' };
    expect(readRequest(JSON.stringify(request))).toEqual(request);
    expect(readRequest(JSON.stringify({ email: 'a@b.example' }))).toBeNull();
    expect(readRequest('{broken')).toBeNull();
  });
});

describe('timeline model', () => {
  it('shows each message once, in seq order, with unsent messages last', () => {
    const model = createTimelineModel();
    model.addPending('k1', 'mine, unsent');
    expect(model.add(message(2))).toMatchObject({ index: 0 });
    expect(model.add(message(1))).toMatchObject({ index: 0 });
    expect(model.add(message(1))).toBeNull();
    expect(model.entries.map((e) => e.text)).toEqual(['text 1', 'text 2', 'mine, unsent']);
    expect(model.lastSeq('c1')).toBe(2);
  });

  it("replaces an unsent message with the server's copy, and groups an operator's run", () => {
    const model = createTimelineModel();
    model.add(message(1));
    model.addPending('k1', 'question');
    const placed = model.add(message(2, VISITOR, { clientId: 'k1', text: 'question' }));
    expect(placed).toEqual({ index: 1, replaced: 1, continued: false });
    expect(model.entries.map((e) => [e.text, e.state])).toEqual([
      ['text 1', 'sent'],
      ['question', 'sent'],
    ]);
    model.add(message(3));
    expect(model.add(message(4))?.continued).toBe(true);
  });

  it('marks an unsent message failed, back to sending, and takes it out when discarded', () => {
    const model = createTimelineModel();
    model.addPending('k1', 'a');
    model.addPending('k2', 'b');
    expect(model.setPending('k1', 'failed')).toBe(0);
    expect(model.entries.map((e) => e.state)).toEqual(['failed', 'sending']);
    expect(model.setPending('k1', null)).toBe(0);
    expect(model.entries.map((e) => e.clientId)).toEqual(['k2']);
    expect(model.setPending('gone', 'failed')).toBe(-1);
  });

  it('knows a live message that skips seqs (a missed event) from the next one', () => {
    const model = createTimelineModel();
    expect(model.skipsAfterLast(message(5))).toBe(false); // Nothing seen yet: the catch-up covers it.
    model.add(message(1));
    expect(model.skipsAfterLast(message(2))).toBe(false);
    expect(model.skipsAfterLast(message(3))).toBe(true);
  });
});

describe('conversation feed', () => {
  /** A server holding `count` messages of c1, answering sync in pages of `page`. */
  function server(count: number, page: number) {
    const all = Array.from({ length: count }, (_, i) => message(i + 1));
    const asked: number[] = [];
    const fetchPage = async (_id: string, afterSeq: number): Promise<SyncPage> => {
      asked.push(afterSeq);
      const rest = all.filter((m) => m.seq > afterSeq);
      return { messages: rest.slice(0, page), hasMore: rest.length > page };
    };
    return { all, asked, fetchPage };
  }

  function feedOver(fetchPage: (id: string, afterSeq: number) => Promise<SyncPage>) {
    const model = createTimelineModel();
    const shown: number[] = [];
    const feed = createConversationFeed({
      model,
      fetchPage,
      openConversationId: 'c1',
      show: (m) => {
        if (!model.add(m)) return false;
        shown.push(m.seq);
        return true;
      },
    });
    return { model, feed, shown };
  }

  it('catches up page by page until the server says there is no more', async () => {
    const { asked, fetchPage } = server(7, 3);
    const { feed, shown } = feedOver(fetchPage);
    await feed.catchUp();
    expect(shown).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(asked).toEqual([0, 3, 6]);
    // The periodic check with nothing new: one empty page.
    await feed.catchUp();
    expect(asked).toEqual([0, 3, 6, 7]);
  });

  it('fetches what lies between when a live message skips seqs, and shows each message once', async () => {
    const { all, fetchPage } = server(5, 500);
    const { feed, shown, model } = feedOver(fetchPage);
    feed.receive(all[0] as MessageDTO, true);
    feed.receive(all[4] as MessageDTO, true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown).toEqual([1, 5, 2, 3, 4]);
    expect(model.lastSeq('c1')).toBe(5);
    expect(feed.receive(all[2] as MessageDTO, true)).toBe(false);
  });
});

describe('stored outbox', () => {
  it('keeps unsent and failed messages across a reload, and sends the unsent ones in order', async () => {
    const storage = memoryStorage();
    const refusals = new Set(['k1']);
    const sent: string[] = [];
    const deliver = async (e: { clientId: string }) => {
      if (refusals.has(e.clientId))
        throw Object.assign(new Error('too long'), { status: 413, code: 'payload_too_large' });
      sent.push(e.clientId);
    };
    const first = storedOutbox(storage, 'box', deliver, () => undefined);
    await first.add({ clientId: 'k1', text: 'huge', state: 'sending', error: null });
    expect(readOutbox(storage.get('box'))).toMatchObject([{ clientId: 'k1', state: 'failed' }]);

    // A reload: the failed one is still there to retry or discard; an entry from an older frame (no state) is sent.
    storage.set(
      'box',
      JSON.stringify([...JSON.parse(storage.get('box') ?? '[]'), { clientId: 'k0', text: 'old' }]),
    );
    const changes: string[][] = [];
    const second = storedOutbox(storage, 'box', deliver, () => {
      changes.push(second.entries().map((e) => e.clientId));
    });
    await second.flush();
    expect(sent).toEqual(['k0']);
    refusals.clear();
    await second.retry('k1');
    expect(sent).toEqual(['k0', 'k1']);
    expect(storage.data.has('box')).toBe(false);
    expect(changes.at(-1)).toEqual([]);
  });

  it("never writes one tab's old copy over another tab's unsent message", async () => {
    const storage = memoryStorage();
    const sentByA: string[] = [];
    // Two tabs of one visitor, both open before either writes; B has lost its link, A has not.
    const tabA = storedOutbox(
      storage,
      'box',
      async (e) => void sentByA.push(e.clientId),
      () => undefined,
    );
    const tabB = storedOutbox(
      storage,
      'box',
      () => Promise.reject(new Error('offline')),
      () => undefined,
    );
    await tabB.add({ clientId: 'b1', text: 'from tab B', state: 'sending', error: null });
    expect(readOutbox(storage.get('box')).map((e) => e.clientId)).toEqual(['b1']);
    // A writes next: B's message must survive it — and A, online, sends it (in order; the server keeps one
    // copy if B sends it too later).
    await tabA.add({ clientId: 'a1', text: 'from tab A', state: 'sending', error: null });
    expect(sentByA).toEqual(['b1', 'a1']);
    expect(storage.data.has('box')).toBe(false);
  });

  it('drops what a host page could have mangled', () => {
    expect(readOutbox('{"not":"a list"}')).toEqual([]);
    expect(
      readOutbox('[null, {"clientId":"k"}, {"clientId":"k2","text":"hi","state":"failed","error":"x"}]'),
    ).toEqual([{ clientId: 'k2', text: 'hi', state: 'failed', error: 'x' }]);
    expect(readOutbox('not json')).toEqual([]);
  });

  it('keeps a message that carries only files across a reload (its file is stored; the message goes once)', () => {
    const entry = {
      clientId: 'k3',
      text: '',
      fileIds: ['f1'],
      names: 'a.pdf',
      state: 'sending',
      error: null,
    };
    expect(readOutbox(JSON.stringify([entry, { clientId: 'k4', text: '', fileIds: [] }]))).toEqual([entry]);
  });
});

describe('availability', () => {
  it('shows the composer while someone can answer or the visitor still has messages to send, else the form', () => {
    expect(footerFor(true, 0, 'none')).toBe('composer');
    expect(footerFor(false, 0, 'none')).toBe('form');
    expect(footerFor(false, 2, 'none')).toBe('composer');
    expect(footerFor(true, 0, 'sending')).toBe('form');
    expect(footerFor(false, 0, 'done')).toBe('form');
  });
});
