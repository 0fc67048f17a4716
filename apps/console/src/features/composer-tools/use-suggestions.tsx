/**
 * The composer's pickers: typing `/` lists canned replies, typing `@` in a
 * note lists colleagues. Filtered as the operator types; ↑/↓ move, Enter or
 * Tab inserts (a canned reply with its variables filled, still editable),
 * Escape closes. The reply box stays focused throughout and points at the
 * active option (`aria-activedescendant`), with the list a `listbox` beside it
 * and the count spoken: the combobox pattern on a textarea.
 */
import type { CannedReplyDTO, ConversationDTO, PublicOperatorDTO } from '@parley/protocol';
import { type KeyboardEvent, type ReactNode, type RefObject, useId, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { filterCannedReplies } from '../canned-replies/canned-filter';
import { useCannedReplies } from '../canned-replies/canned-replies-data';
import { fillVariables, givenVisitorName } from '../canned-replies/fill-variables';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { matchColleagues, useColleagues } from './colleagues';
import { replaceTrigger, type Trigger, triggerAt } from './suggestion-trigger';

interface Options {
  conversation: ConversationDTO | undefined;
  draft: string;
  note: boolean;
  textarea: RefObject<HTMLTextAreaElement | null>;
  setDraft(text: string): void;
}

type Choice = { kind: 'canned'; reply: CannedReplyDTO } | { kind: 'mention'; operator: PublicOperatorDTO };

export interface Suggestions {
  /** Handles the picker's keys; true when the key was the picker's (the composer must not act on it). */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  /** Call when the text or the caret moved. */
  onCaret(): void;
  /** Spread on the textarea. */
  inputProps: {
    'aria-autocomplete': 'list';
    'aria-controls'?: string;
    'aria-activedescendant'?: string;
    'aria-describedby'?: string;
  };
  popup: ReactNode;
}

/** The same word at the same place (its end may differ: the caret moved inside it). */
const sameTrigger = (a: Trigger | null, b: Trigger | null) =>
  a !== null && b !== null && a.kind === b.kind && a.start === b.start && a.query === b.query;

export function useSuggestions({ conversation, draft, note, textarea, setDraft }: Options): Suggestions {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const id = useId();
  const operatorName = useInbox((s) => s.operator.displayName);
  const siteName = useInbox((s) => s.sites.find((site) => site.id === conversation?.siteId)?.name ?? null);
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  // Escape closes the picker for this word: moving the caret or refocusing does not bring it back. A ref,
  // not state: React may run onSelect in the same dispatch as the Escape's keydown, with this render's values.
  const dismissed = useRef<Trigger | null>(null);
  const [active, setActive] = useState(0);
  const siteId = conversation?.siteId ?? null;
  // Loaded with the reply box, not at the first `/`: a quick `/price` + Enter finds them there.
  const canned = useCannedReplies(workspace.http, siteId);
  const colleagues = useColleagues(workspace, siteId, trigger?.kind === 'mention');

  const choices: Choice[] = useMemo(() => {
    if (!trigger) return [];
    if (trigger.kind === 'canned')
      return filterCannedReplies(canned.items ?? [], trigger.query).map((reply) => ({
        kind: 'canned',
        reply,
      }));
    return matchColleagues(colleagues, trigger.query)
      .slice(0, 8)
      .map((operator) => ({ kind: 'mention', operator }));
  }, [trigger, canned.items, colleagues]);

  const open = trigger !== null;
  const current = Math.min(active, Math.max(choices.length - 1, 0));
  const optionId = (i: number) => `${id}-option-${i}`;

  function onCaret() {
    const box = textarea.current;
    if (!box) return;
    const found =
      box.selectionStart === box.selectionEnd ? triggerAt(box.value, box.selectionStart, note) : null;
    const wasDismissed = sameTrigger(found, dismissed.current);
    if (!wasDismissed) dismissed.current = null;
    const next = wasDismissed ? null : found;
    setTrigger((prev) => (sameTrigger(prev, next) ? prev : next));
    if (!sameTrigger(next, trigger)) setActive(0);
  }

  function choose(choice: Choice) {
    if (!trigger) return;
    const insert =
      choice.kind === 'canned'
        ? fillVariables(choice.reply.body, {
            'visitor.name': givenVisitorName(conversation?.visitorName),
            'operator.name': operatorName,
            'site.name': siteName,
          })
        : `@${choice.operator.displayName} `;
    const { text, caret } = replaceTrigger(draft, trigger, insert);
    setDraft(text);
    setTrigger(null);
    requestAnimationFrame(() => {
      const box = textarea.current;
      if (!box) return;
      box.focus();
      box.setSelectionRange(caret, caret);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open || event.nativeEvent.isComposing) return false;
    if (event.key === 'Escape') {
      event.preventDefault();
      dismissed.current = trigger;
      setTrigger(null);
      return true;
    }
    if (choices.length === 0) {
      // Still loading: Enter must not send the bare `/shortcut` to the visitor.
      if (event.key === 'Enter' && trigger?.kind === 'canned' && canned.items === null) {
        event.preventDefault();
        return true;
      }
      return false;
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + choices.length) % choices.length);
      return true;
    }
    if ((event.key === 'Enter' && !event.shiftKey) || (event.key === 'Tab' && !event.shiftKey)) {
      event.preventDefault();
      const choice = choices[current];
      if (choice) choose(choice);
      return true;
    }
    return false;
  }

  const listLabel = t(trigger?.kind === 'mention' ? 'mentions.pickerLabel' : 'canned.pickerLabel');
  const count =
    trigger?.kind === 'canned' && canned.items === null
      ? t('list.loading')
      : t(trigger?.kind === 'mention' ? 'mentions.found' : 'canned.found', { count: choices.length });

  const popup = open ? (
    <div className="suggestions">
      <p className="suggestions-hint" id={`${id}-hint`}>
        <span role="status">{count}</span>
        <span className="muted"> · {t('canned.keysHint')}</span>
      </p>
      {choices.length > 0 && (
        <div role="listbox" id={`${id}-list`} aria-label={listLabel} className="suggestion-list">
          {choices.map((choice, i) => (
            <div
              key={choice.kind === 'canned' ? choice.reply.id : choice.operator.id}
              id={optionId(i)}
              role="option"
              // Focus stays in the reply box (aria-activedescendant); -1 only makes the option focusable by script.
              tabIndex={-1}
              aria-selected={i === current}
              className={i === current ? 'active' : undefined}
              // mousedown, not click: the reply box keeps its focus and caret.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(choice);
              }}
              onMouseEnter={() => setActive(i)}
            >
              {choice.kind === 'canned' ? (
                <>
                  <span className="suggestion-key">/{choice.reply.shortcut}</span>
                  <span className="suggestion-title">{choice.reply.title}</span>
                  {choice.reply.scope === 'personal' && <span className="tag">{t('canned.personal')}</span>}
                  <span className="suggestion-body">{choice.reply.body}</span>
                </>
              ) : (
                <span className="suggestion-title">@{choice.operator.displayName}</span>
              )}
            </div>
          ))}
        </div>
      )}
    </div>
  ) : null;

  return {
    onKeyDown,
    onCaret,
    inputProps: {
      'aria-autocomplete': 'list',
      ...(open && choices.length > 0 && { 'aria-controls': `${id}-list` }),
      ...(open && choices.length > 0 && { 'aria-activedescendant': optionId(current) }),
      ...(open && { 'aria-describedby': `${id}-hint` }),
    },
    popup,
  };
}
