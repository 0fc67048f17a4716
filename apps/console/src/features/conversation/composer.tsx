/**
 * The reply box. Its text is the conversation's draft, kept in the store, so
 * switching conversations never loses it. Enter sends, Shift+Enter adds a line.
 */
import { LIMITS } from '@parley/protocol';
import type { KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { AttachFiles } from '../files/attach-files';
import { COMPOSER_ID } from '../shell/shortcuts';
import { useInbox, useWorkspace } from '../shell/workspace-context';

export function Composer({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const draft = useInbox((s) => s.drafts[conversationId] ?? '');

  function send() {
    const text = draft.trim();
    if (!text) return;
    workspace.send(conversationId, text);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // isComposing: Enter that confirms an IME composition must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <AttachFiles conversationId={conversationId} />
      <textarea
        id={COMPOSER_ID}
        aria-label={t('composer.reply')}
        placeholder={t('composer.placeholder')}
        value={draft}
        maxLength={LIMITS.messageText}
        rows={3}
        onChange={(e) => {
          workspace.setDraft(conversationId, e.target.value);
          if (e.target.value) workspace.typingActivity(conversationId);
          else workspace.stopTyping(conversationId);
        }}
        onBlur={() => workspace.stopTyping(conversationId)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="primary" disabled={!draft.trim()}>
        {t('composer.send')}
      </button>
    </form>
  );
}
