/** The console's outbox: what a reply does to the store, and that the shared queue runs over it (see @parley/client for its rules). */
import type { MessageDTO } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/http-client';
import type { OperatorSocket } from '../api/socket-client';
import { Outbox, withoutOutboxItem, withSentDraft } from './outbox';
import { Store } from './store';
import { buildState } from './test-factories';
import type { WorkspaceDeps } from './workspace-deps';

describe('outbox', () => {
  it("empties the draft a reply came from, not other conversations' drafts", () => {
    const state = { ...buildState(), drafts: { c1: 'reply k1', c2: 'half a thought' } };
    expect(withSentDraft(state, 'c1').drafts).toEqual({ c1: '', c2: 'half a thought' });
  });

  it('drops a reply once the server has it, and is the same state when it is not there', () => {
    const item = { clientId: 'k1', conversationId: 'c1', text: 'x', state: 'sending' as const, error: null };
    const state = { ...buildState(), outbox: [item] };
    expect(withoutOutboxItem(state, 'k1').outbox).toEqual([]);
    expect(withoutOutboxItem(state, 'unknown')).toBe(state);
  });

  it('keeps a refused reply with its reason, sends the next, and goes over HTTP while the socket is down', async () => {
    const store = new Store(buildState());
    const overHttp: string[] = [];
    const stored: string[] = [];
    const deps = {
      store,
      socket: { connected: false } as OperatorSocket,
      http: {
        async sendMessage(_conversationId: string, { clientId, text }: { clientId: string; text: string }) {
          if (text === 'closed one') throw new ApiError(409, 'conflict', 'This conversation is closed');
          if (text === 'offline') throw new ApiError(0, 'network', 'offline');
          overHttp.push(text);
          return { message: { clientId, text } as MessageDTO };
        },
      },
      onArrival: () => undefined,
    } as unknown as WorkspaceDeps;
    const outbox = new Outbox(deps, (m) => stored.push(m.text));
    outbox.send('c1', 'closed one');
    outbox.send('c2', 'next');
    await vi.waitFor(() => expect(stored).toEqual(['next']));
    expect(store.get().outbox).toMatchObject([
      { text: 'closed one', state: 'failed', error: 'This conversation is closed' },
    ]);
    outbox.send('c2', 'offline');
    await vi.waitFor(() => expect(store.get().outbox).toHaveLength(2));
    // No answer: it waits for the next reconnect, still 'sending'.
    expect(store.get().outbox[1]).toMatchObject({ text: 'offline', state: 'sending' });
    expect(overHttp).toEqual(['next']);
  });
});
