import type { ConversationDTO, MessageDTO, TypingDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../events/domain-events.js';
import { frameFor } from './fanout.js';
import { recipientsFor } from './recipients.js';

const scope = { siteId: 'site-1', visitorId: 'visitor-1' };
const conversation = { id: 'c1', lastSeq: 3 } as ConversationDTO;
const message = { id: 'm1', conversationId: 'c1', seq: 3, visibility: 'public', text: 'hello' } as MessageDTO;
const note = { ...message, id: 'm2', seq: 4, visibility: 'internal', text: 'a note' } as MessageDTO;
const created = (m: MessageDTO, publicSeq: number | null): DomainEvent => ({
  type: 'message.created',
  ...scope,
  message: m,
  publicSeq,
  conversation,
});
const typing = (authorKind: 'visitor' | 'operator'): TypingDTO => ({
  conversationId: 'c1',
  authorKind,
  typing: true,
  operator: null,
  preview: authorKind === 'visitor' ? 'my draft' : null,
  visibility: 'public',
});

describe('recipientsFor', () => {
  it('sends a message to the site operators and to the visitor', () => {
    expect(recipientsFor(created(message, 2))).toEqual([
      { room: 'site:site-1:operators', audience: 'operator' },
      { room: 'visitor:visitor-1', audience: 'visitor' },
    ]);
  });

  it('never sends a note to a visitor room, and frames nothing of it for visitors', () => {
    const event = created(note, null);
    expect(recipientsFor(event)).toEqual([{ room: 'site:site-1:operators', audience: 'operator' }]);
    expect(frameFor(event, 'visitor')).toBeNull();
    // Even if a note came with a public seq by mistake, the visitor framer would not show it.
    expect(frameFor(created(note, 3), 'visitor')).toBeNull();
  });

  it("numbers a message in the visitor's own sequence for visitors and in the full one for operators", () => {
    const event = created(message, 2);
    expect(frameFor(event, 'visitor')).toEqual({ type: 'message.created', data: { ...message, seq: 2 } });
    expect(frameFor(event, 'operator')).toEqual({
      type: 'message.created',
      data: { message, conversation },
    });
  });

  it("keeps the visitor's draft (sneak peek) away from every visitor room", () => {
    const rooms = recipientsFor({ type: 'typing.updated', ...scope, typing: typing('visitor') });
    expect(rooms.every((r) => r.audience === 'operator')).toBe(true);
  });

  it('tells the visitor that an operator is typing, without any preview', () => {
    const event: DomainEvent = {
      type: 'typing.updated',
      ...scope,
      typing: { ...typing('operator'), preview: 'x' },
    };
    expect(recipientsFor(event)).toContainEqual({ room: 'visitor:visitor-1', audience: 'visitor' });
    expect(frameFor(event, 'visitor')).toMatchObject({ data: { preview: null } });
  });

  it('never tells a visitor that an operator is typing a note', () => {
    const event: DomainEvent = {
      type: 'typing.updated',
      ...scope,
      typing: { ...typing('operator'), visibility: 'internal' },
    };
    expect(recipientsFor(event)).toEqual([{ room: 'site:site-1:operators', audience: 'operator' }]);
  });

  it('never sends new-conversation or visitor-card events to visitors', () => {
    const created = recipientsFor({ type: 'conversation.created', ...scope, conversation: {} as never });
    const visitor = recipientsFor({ type: 'visitor.updated', ...scope, visitor: {} as never });
    expect([...created, ...visitor].map((r) => r.audience)).toEqual(['operator', 'operator']);
  });

  it('turns presence into availability for visitors, exposing only online and connected operators', () => {
    const event: DomainEvent = {
      type: 'presence.updated',
      siteId: 'site-1',
      operators: [
        {
          id: 'o1',
          displayName: 'Anna',
          avatarUrl: null,
          status: 'online',
          connected: true,
          openConversations: 2,
        },
        {
          id: 'o2',
          displayName: 'Boris',
          avatarUrl: null,
          status: 'online',
          connected: false,
          openConversations: 0,
        },
        {
          id: 'o3',
          displayName: 'Vera',
          avatarUrl: null,
          status: 'away',
          connected: true,
          openConversations: 0,
        },
      ],
    };
    expect(recipientsFor(event)).toContainEqual({ room: 'site:site-1:visitors', audience: 'visitor' });
    expect(frameFor(event, 'visitor')).toEqual({
      type: 'availability.updated',
      data: { online: true, operators: [{ id: 'o1', displayName: 'Anna', avatarUrl: null }] },
    });
  });

  it("sends a mention to the named operator's own consoles only, and frames nothing of it for visitors", () => {
    const event: DomainEvent = {
      type: 'mention.created',
      siteId: 'site-1',
      operatorId: 'o2',
      mention: {
        id: 'x1',
        messageId: 'm2',
        conversationId: 'c1',
        siteId: 'site-1',
        authorName: 'Anna',
        text: '@Boris a note',
        createdAt: '2026-01-01T00:00:00.000Z',
        readAt: null,
      },
    };
    expect(recipientsFor(event)).toEqual([{ room: 'operator:o2', audience: 'operator' }]);
    expect(frameFor(event, 'operator')).toEqual({ type: 'mention.created', data: event.mention });
    expect(frameFor(event, 'visitor')).toBeNull();
  });
});
