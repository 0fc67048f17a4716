/**
 * The messages of one conversation, in seq order, with unsent replies and the
 * visitor's typing after them. Only the latest 50 are rendered at first (a
 * long conversation opens as fast as a short one); "Load earlier messages"
 * reveals a hundred more, from memory first, then from the server. Follows
 * new messages while the operator is at the bottom, and keeps the reading
 * position when older ones are added above.
 */
import type { ConversationDTO } from '@parley/protocol';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { lastSeenReplySeq } from '../../store/tags';
import { useScrollToFocused } from '../search/focus';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { MessageItem } from './message-item';
import { Outbox } from './outbox';
import { TypingIndicator } from './typing-indicator';

const FIRST_WINDOW = 50;
const STEP = 100;

/** Render with `key={conversation.id}`: the window and scroll state belong to one conversation. */
export function MessageList({ conversation }: { conversation: ConversationDTO }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const thread = useInbox((s) => s.threads[conversation.id]);
  const ownId = useInbox((s) => s.operator.id);
  const outboxCount = useInbox((s) => s.outbox.filter((o) => o.conversationId === conversation.id).length);
  const typing = useInbox((s) => s.typing[conversation.id]);
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  /** Distance from the bottom to keep while older messages are inserted above. */
  const keepFromBottom = useRef<number | null>(null);
  const [firstSeq, setFirstSeq] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const messages = thread?.messages ?? [];

  // Until the operator asks for more, the window is the latest FIRST_WINDOW, measured when they first arrive.
  const windowStart = firstSeq ?? messages[Math.max(0, messages.length - FIRST_WINDOW)]?.seq ?? 0;
  if (firstSeq === null && messages.length > 0) setFirstSeq(windowStart);
  const start = Math.max(
    0,
    messages.findIndex((m) => m.seq >= windowStart),
  );
  const visible = start === 0 ? messages : messages.slice(start);
  const moreAvailable = start > 0 || Boolean(thread?.hasEarlier);
  const seenSeq = lastSeenReplySeq(messages, conversation.visitorReadSeq);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the outbox and typing change the height, so they must re-run it
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (keepFromBottom.current !== null) {
      element.scrollTop = element.scrollHeight - keepFromBottom.current;
      keepFromBottom.current = null;
    } else if (stickToBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [visible.length, outboxCount, typing]);

  // A search result opened here: show from a little before its message, scrolled to it and marked.
  const reveal = useCallback((seq: number) => setFirstSeq(Math.max(0, seq - 3)), []);
  const focusedSeq = useScrollToFocused(scroller, conversation.id, windowStart, stickToBottom, reveal);

  async function showEarlier() {
    const element = scroller.current;
    if (element) keepFromBottom.current = element.scrollHeight - element.scrollTop;
    setBusy(true);
    try {
      if (start === 0 && thread?.hasEarlier) await workspace.loadEarlier(conversation.id);
      const all = workspace.store.get().threads[conversation.id]?.messages ?? [];
      const index = Math.max(
        0,
        all.findIndex((m) => m.seq >= windowStart),
      );
      setFirstSeq(all[Math.max(0, index - STEP)]?.seq ?? windowStart);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div
      ref={scroller}
      className="messages-scroll"
      onScroll={(e) => {
        const el = e.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {moreAvailable && (
        <button
          type="button"
          className="ghost load-earlier"
          disabled={busy}
          onClick={() => void showEarlier()}
        >
          {t('conversation.loadEarlier')}
        </button>
      )}
      {thread?.error && (
        <p className="error small" role="alert">
          {t('conversation.error', { error: thread.error })}
        </p>
      )}
      {thread && !thread.loading && messages.length === 0 && (
        <p className="muted empty">{t('conversation.empty')}</p>
      )}
      {messages.length === 0 && thread?.loading && <p className="muted empty">{t('conversation.loading')}</p>}
      {/* The log is a wrapper, not the <ol>: a role on the list would hide from assistive technology
          that its items are a list. */}
      <div role="log" aria-label={t('conversation.messages')}>
        <ol className="messages">
          {visible.map((message) => (
            <MessageItem
              key={message.seq}
              message={message}
              conversation={conversation}
              ownId={ownId}
              seen={message.seq === seenSeq}
              highlighted={message.seq === focusedSeq}
            />
          ))}
        </ol>
      </div>
      <Outbox conversationId={conversation.id} />
      {typing && <TypingIndicator name={conversation.visitorName} typing={typing} />}
    </div>
  );
}
