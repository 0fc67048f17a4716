/**
 * "Save as canned reply" on an operator's message: a dialog with the reply
 * form, its text taken from the message (and a title from its first words),
 * to be given a shortcut and saved.
 */
import type { MessageDTO } from '@parley/protocol';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { CannedReplyForm } from './canned-reply-form';

/** The first words of a text, for a title the operator will likely keep or shorten. */
export function titleFrom(text: string): string {
  const words = text.trim().split(/\s+/).slice(0, 6).join(' ');
  return words.length > 60 ? `${words.slice(0, 59)}…` : words;
}

export function SaveAsCanned({ message, siteId }: { message: MessageDTO; siteId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="ghost small save-canned" onClick={() => setOpen(true)}>
        {t('canned.saveAs')}
      </button>
      {open && <SaveDialog siteId={siteId} text={message.text} onClose={() => setOpen(false)} />}
    </>
  );
}

function SaveDialog({ siteId, text, onClose }: { siteId: string; text: string; onClose(): void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog canned-dialog" aria-label={t('canned.saveAs')} onClose={onClose}>
      {/* Closed by the dialog itself (its onClose unmounts it): the top layer and focus are restored. */}
      <CannedReplyForm
        siteId={siteId}
        initial={{ body: text, title: titleFrom(text) }}
        onDone={() => ref.current?.close()}
      />
    </dialog>
  );
}
