/**
 * The conversation header's tags: each with a button to take it off, and
 * "Add tag", a small form whose field suggests the site's tags; a name no tag
 * has yet creates one (the server picks its colour from the palette).
 */
import type { ConversationDTO } from '@parley/protocol';
import { TAG_LIMITS } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { TagChip } from './tag-chip';

export function ConversationTags({ conversation }: { conversation: ConversationDTO }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const siteTags = useInbox((s) => s.siteTags[conversation.siteId]) ?? [];
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const tagIds = conversation.tagIds ?? [];
  const listId = `tag-options-${conversation.id}`;

  async function run(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const wanted = name.trim();
    if (!wanted) return;
    const existing = siteTags.find((tag) => tag.name.toLowerCase() === wanted.toLowerCase());
    const ok = await run(() =>
      workspace.tags.tag(conversation, existing ? { id: existing.id } : { name: wanted }),
    );
    if (ok) {
      setName('');
      setAdding(false);
    }
  }

  return (
    <div className="conversation-tags">
      <ul className="tag-list" aria-label={t('tags.onConversation')}>
        {tagIds.map((id) => {
          const tag = siteTags.find((s) => s.id === id);
          return (
            tag && (
              <li key={id}>
                <TagChip
                  tag={tag}
                  reason={conversation.closeReasonTagId === id}
                  onRemove={() => void run(() => workspace.tags.untag(conversation.id, id))}
                />
              </li>
            )
          );
        })}
      </ul>
      {adding ? (
        <form className="tag-add" onSubmit={add}>
          <label>
            <span className="visually-hidden">{t('tags.name')}</span>
            <input
              // The operator just asked to add a tag: the field takes the keyboard.
              ref={focusOnMount}
              list={listId}
              value={name}
              maxLength={TAG_LIMITS.name}
              placeholder={t('tags.name')}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setAdding(false)}
            />
          </label>
          <datalist id={listId}>
            {siteTags
              .filter((tag) => !tagIds.includes(tag.id))
              .map((tag) => (
                <option key={tag.id} value={tag.name} />
              ))}
          </datalist>
          <button type="submit" disabled={!name.trim()}>
            {t('tags.addThis')}
          </button>
          <button type="button" className="ghost" onClick={() => setAdding(false)}>
            {t('tags.cancel')}
          </button>
        </form>
      ) : (
        <button type="button" className="ghost small-button" onClick={() => setAdding(true)}>
          {t('tags.add')}
        </button>
      )}
      {error && (
        <span className="error small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function focusOnMount(element: HTMLInputElement | null): void {
  if (element && document.activeElement !== element) element.focus();
}
