/**
 * "Email me this conversation": a header button that opens a small form
 * under the header (the visitor's email, prefilled when known in this
 * window), posts the transcript request and says where it went. Shown only
 * when the server can send email and there is a conversation to send.
 */
import { API_PATHS, LIMITS, type TranscriptResponse } from '@parley/protocol';
import { h, icon } from './dom.js';
import type { Catalog } from './i18n.js';

const MAIL_ICON =
  'M4 5h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2zm0 2v.5l8 5 8-5V7H4zm16 2.85-8 5-8-5V17h16V9.85z';

export interface TranscriptControl {
  button: HTMLButtonElement;
  panel: HTMLElement;
  /** Shows or hides the button (email available and a conversation exists). */
  setAvailable(available: boolean): void;
  /** An address the visitor typed elsewhere in this window (the request form). */
  knowEmail(email: string): void;
}

export function createTranscriptControl(t: Catalog, token: () => string): TranscriptControl {
  const button = h(
    'button',
    { type: 'button', class: 'x', 'aria-label': t.transcript, 'aria-expanded': 'false', hidden: true },
    icon(MAIL_ICON),
  );
  button.title = t.transcript;
  const email = h('input', {
    id: 'tr-email',
    type: 'email',
    autocomplete: 'email',
    maxlength: String(LIMITS.email),
  });
  const note = h('p', { class: 'note', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn' }, t.transcriptSend);
  const form = h(
    'form',
    { class: 'off', novalidate: true, 'aria-label': t.transcript },
    h('div', { class: 'fld' }, h('label', { for: 'tr-email' }, t.transcriptEmail), email),
    note,
    submit,
  );
  const panel = h('div', { class: 'trp', hidden: true }, form);

  button.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) email.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const address = email.value.trim();
    submit.disabled = true;
    note.textContent = '';
    fetch(API_PATHS.widgetTranscript, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
      body: JSON.stringify(address ? { email: address } : {}),
    })
      .then(async (response) => {
        // The server's refusals are in English: the visitor reads ours (400: no or a bad address).
        if (!response.ok) throw new Error(response.status === 400 ? t.invalidEmail : t.notSent);
        const body = (await response.json()) as TranscriptResponse;
        panel.replaceChildren(
          h('p', { class: 'done', role: 'status', tabindex: '-1' }, t.transcriptSent(body.email)),
        );
        (panel.firstElementChild as HTMLElement | null)?.focus();
      })
      .catch((error: unknown) => {
        note.textContent = error instanceof Error && error.message ? error.message : t.notSent;
        email.setAttribute('aria-invalid', 'true');
      })
      .finally(() => {
        submit.disabled = false;
      });
  });

  return {
    button,
    panel,
    setAvailable(available) {
      button.hidden = !available;
      if (!available) panel.hidden = true;
    },
    knowEmail(address) {
      if (!email.value) email.value = address;
    },
  };
}
