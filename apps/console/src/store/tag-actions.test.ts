/** The operator's read receipts: one frame per new seq, never backwards, and the ones made offline sent on reconnect. */
import { describe, expect, it } from 'vitest';
import type { HttpClient } from '../api/http-client';
import type { OperatorSocket } from '../api/socket-client';
import { Store } from './store';
import { TagActions } from './tag-actions';
import { buildState } from './test-factories';
import type { WorkspaceDeps } from './workspace-deps';

function actions() {
  const sent: unknown[] = [];
  const socket = {
    connected: true,
    request: (type: string, data: unknown) => {
      sent.push([type, data]);
      return Promise.resolve({});
    },
  };
  const deps: WorkspaceDeps = {
    store: new Store(buildState()),
    http: {} as HttpClient,
    socket: socket as unknown as OperatorSocket,
    onArrival: () => {},
  };
  return {
    tags: new TagActions(
      () => deps,
      () => {},
    ),
    sent,
    socket,
  };
}

describe('the operator’s read receipts', () => {
  it('go out once per new seq, never for an older one', () => {
    const { tags, sent } = actions();
    tags.markRead('c1', 2);
    tags.markRead('c1', 2);
    tags.markRead('c1', 1);
    tags.markRead('c1', 5);
    tags.markRead('c2', 1);
    expect(sent).toEqual([
      ['conversation.read', { conversationId: 'c1', seq: 2 }],
      ['conversation.read', { conversationId: 'c1', seq: 5 }],
      ['conversation.read', { conversationId: 'c2', seq: 1 }],
    ]);
  });

  it('made while the socket is down are sent, the latest only, when it is back', () => {
    const { tags, sent, socket } = actions();
    socket.connected = false;
    tags.markRead('c1', 3);
    tags.markRead('c1', 4);
    expect(sent).toEqual([]);
    socket.connected = true;
    tags.flushReads();
    tags.flushReads();
    expect(sent).toEqual([['conversation.read', { conversationId: 'c1', seq: 4 }]]);
  });
});
