/** A conversation's thread: fetched with its latest messages, scrolled back, live messages kept. */
import type { ConversationDetail, VisitorDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { buildConversation, buildMessage, buildState, buildThread } from './test-factories';
import { withEarlierMessages, withThreadChange, withThreadDetail } from './threads';

const detail = (lastSeq: number, seqs: number[], hasEarlier: boolean): ConversationDetail => ({
  conversation: buildConversation({ lastSeq }),
  visitor: { id: 'v1', name: '#ABCDEF' } as VisitorDTO,
  messages: seqs.map((seq) => buildMessage(seq)),
  hasEarlier,
});

describe('threads', () => {
  it('keeps messages that came live while the conversation was being fetched', () => {
    const loading = withThreadChange(buildState(), 'c1', { loading: true });
    expect(loading.threads.c1).toEqual(buildThread([], { loading: true }));
    const live = { ...loading, threads: { c1: buildThread([buildMessage(4)], { loading: true }) } };
    const next = withThreadDetail(live, detail(3, [2, 3], true));
    expect(next.threads.c1).toEqual(
      buildThread(
        [2, 3, 4].map((seq) => buildMessage(seq)),
        { hasEarlier: true },
      ),
    );
    expect(next.conversations.c1?.lastSeq).toBe(3);
    expect(next.visitors.v1?.name).toBe('#ABCDEF');
  });

  it('puts earlier messages in front, and ignores them for a thread not loaded', () => {
    const state = buildState([], { c1: buildThread([buildMessage(3)], { hasEarlier: true }) });
    const next = withEarlierMessages(state, 'c1', [buildMessage(1), buildMessage(2)], false);
    expect(next.threads.c1).toEqual(buildThread([1, 2, 3].map((seq) => buildMessage(seq))));
    expect(withEarlierMessages(state, 'c2', [buildMessage(1)], false)).toBe(state);
  });
});
