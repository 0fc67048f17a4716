/**
 * The message box: Enter sends, Shift+Enter breaks the line, the box grows
 * with the text up to a few lines. Reports drafts for the typing signal.
 * Files come in by the paperclip or by pasting (see files.ts).
 */
import { LIMITS } from '@parley/protocol';
import { h, icon } from './dom.js';
import { attachButton } from './files.js';
import type { Catalog } from './i18n.js';

const SEND_ICON = 'M3 20.5v-7l9-1.5-9-1.5v-7L22 12z';

export interface Composer {
  form: HTMLFormElement;
  focus(): void;
}

export function createComposer(
  t: Catalog,
  onSend: (text: string) => void,
  onDraft: (draft: string) => void,
  files: { list: HTMLElement; add(files: Iterable<File>): void },
): Composer {
  const box = h('textarea', {
    id: 'msg',
    rows: '1',
    maxlength: String(LIMITS.messageText),
    placeholder: t.placeholder,
  });
  const form = h(
    'form',
    { class: 'cmp' },
    files.list,
    h('label', { for: 'msg', class: 'sr' }, t.message),
    attachButton(t, files.add),
    box,
    h('button', { type: 'submit', class: 'snd', 'aria-label': t.send }, icon(SEND_ICON)),
  );
  const grow = () => {
    box.style.height = 'auto';
    box.style.height = `${Math.min(box.scrollHeight, 120)}px`;
  };
  const submit = () => {
    const text = box.value.trim();
    if (!text) return;
    box.value = '';
    grow();
    onSend(text);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  box.addEventListener('paste', (event) => {
    const pasted = event.clipboardData?.files;
    if (pasted?.length) {
      event.preventDefault();
      files.add(pasted);
    }
  });
  box.addEventListener('input', () => {
    grow();
    onDraft(box.value);
  });
  return { form, focus: () => box.focus() };
}
