/**
 * "Leave a request", shown instead of the composer while nobody is online:
 * email (required), phone (optional), message. The submit handler retries on
 * its own; the form shows "Sending…", then the confirmation.
 */
import { LIMITS } from '@parley/protocol';
import { h } from './dom.js';
import type { Catalog } from './i18n.js';

export interface RequestDraft {
  email: string;
  phone: string;
  text: string;
}

export interface OfflineForm {
  element: HTMLElement;
  focus(): void;
  /** While the request is on its way (`retrying`: the network failed at least once). */
  showSending(retrying: boolean): void;
  showDone(email: string): void;
  showError(text: string): void;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `emailAvailable`: the server can send email; only then do the texts promise an answer by email. */
export function createOfflineForm(
  t: Catalog,
  onSubmit: (draft: RequestDraft) => void,
  emailAvailable = true,
): OfflineForm {
  const field = (id: string, label: string, control: HTMLElement) =>
    h('div', { class: 'fld' }, h('label', { for: id }, label), control);
  const email = h('input', {
    id: 'rq-email',
    type: 'email',
    required: true,
    autocomplete: 'email',
    maxlength: String(LIMITS.email),
  });
  const phone = h('input', {
    id: 'rq-phone',
    type: 'tel',
    autocomplete: 'tel',
    maxlength: String(LIMITS.phone),
  });
  const text = h('textarea', {
    id: 'rq-text',
    rows: '3',
    required: true,
    maxlength: String(LIMITS.messageText),
  });
  const submit = h('button', { type: 'submit', class: 'btn' }, t.sendRequest);
  const note = h('p', { class: 'note', role: 'alert' });
  const form = h(
    'form',
    { class: 'off', novalidate: true },
    h('p', { class: 'intro' }, emailAvailable ? t.offlineIntro : t.offlineIntroNoEmail),
    field('rq-email', t.email, email),
    field('rq-phone', t.phone, phone),
    field('rq-text', t.message, text),
    note,
    submit,
  );
  const element = h('div', { class: 'offw' }, form);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const draft = { email: email.value.trim(), phone: phone.value.trim(), text: text.value.trim() };
    if (!EMAIL.test(draft.email)) {
      note.textContent = t.invalidEmail;
      email.setAttribute('aria-invalid', 'true');
      return email.focus();
    }
    email.removeAttribute('aria-invalid');
    if (!draft.text) return text.focus();
    onSubmit(draft);
  });

  return {
    element,
    focus: () => email.focus(),
    showSending(retrying) {
      submit.disabled = true;
      submit.textContent = t.sending;
      note.textContent = retrying ? t.retrying : '';
    },
    showDone(address) {
      element.replaceChildren(
        h(
          'p',
          { class: 'done', role: 'status', tabindex: '-1' },
          emailAvailable ? t.thanks(address) : t.thanksNoEmail,
        ),
      );
      (element.firstElementChild as HTMLElement | null)?.focus();
    },
    showError(message) {
      submit.disabled = false;
      submit.textContent = t.sendRequest;
      note.textContent = message;
    },
  };
}
