/**
 * Writing one canned reply: shortcut, title, text and (for a new one, when
 * the operator may write shared ones) whose it is. Used by the settings page
 * and by "Save as canned reply" on a message. The server's objections (a
 * shortcut already taken, a bad one) are shown as it words them.
 */
import { CANNED_REPLY_LIMITS, type CannedReplyDTO, type CannedReplyScope, LIMITS } from '@parley/protocol';
import { type FormEvent, useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { createCannedReply, updateCannedReply } from './canned-replies-data';

export interface CannedReplyDraft {
  scope: CannedReplyScope;
  shortcut: string;
  title: string;
  body: string;
}

interface Props {
  siteId: string;
  /** The reply being edited; a new one when absent. */
  reply?: CannedReplyDTO;
  initial?: Partial<CannedReplyDraft>;
  onDone(saved: CannedReplyDTO | null): void;
}

/** Whether this operator writes the site's shared replies (owners and admins). */
export function useMayManageShared(): boolean {
  const role = useInbox((s) => s.operator.role);
  return role === 'owner' || role === 'admin';
}

export function CannedReplyForm({ siteId, reply, initial, onDone }: Props) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const mayShare = useMayManageShared();
  const id = useId();
  const [draft, setDraft] = useState<CannedReplyDraft>({
    scope: reply?.scope ?? initial?.scope ?? (mayShare ? 'shared' : 'personal'),
    shortcut: reply?.shortcut ?? initial?.shortcut ?? '',
    title: reply?.title ?? initial?.title ?? '',
    body: reply?.body ?? initial?.body ?? '',
  });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const edit = (change: Partial<CannedReplyDraft>) => setDraft((d) => ({ ...d, ...change }));

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const { scope, ...fields } = draft;
      const saved = reply
        ? await updateCannedReply(workspace.http, reply, fields)
        : await createCannedReply(workspace.http, siteId, { scope, ...fields });
      onDone(saved);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="settings-form canned-form" onSubmit={save} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{reply ? t('canned.editOf', { shortcut: reply.shortcut }) : t('canned.new')}</h3>
      {!reply && (
        <fieldset className="canned-scope">
          <legend>{t('canned.scope')}</legend>
          {(['shared', 'personal'] as const).map((scope) => (
            <label key={scope}>
              <input
                type="radio"
                name={`${id}-scope`}
                value={scope}
                checked={draft.scope === scope}
                disabled={scope === 'shared' && !mayShare}
                onChange={() => edit({ scope })}
              />
              {t(scope === 'shared' ? 'canned.scopeShared' : 'canned.scopePersonal')}
            </label>
          ))}
          {!mayShare && <p className="muted small">{t('canned.sharedByAdmins')}</p>}
        </fieldset>
      )}
      <div className="settings-section">
        <label>
          {t('canned.shortcut')}
          <span className="shortcut-input">
            <span aria-hidden="true">/</span>
            <input
              value={draft.shortcut}
              required
              maxLength={CANNED_REPLY_LIMITS.shortcut}
              aria-describedby={`${id}-shortcut-hint`}
              onChange={(e) => edit({ shortcut: e.target.value.replace(/^\//, '') })}
            />
          </span>
        </label>
        <p id={`${id}-shortcut-hint`} className="muted small">
          {t('canned.shortcutHint')}
        </p>
        <label>
          {t('canned.titleField')}
          <input
            value={draft.title}
            required
            maxLength={CANNED_REPLY_LIMITS.title}
            onChange={(e) => edit({ title: e.target.value })}
          />
        </label>
        <label>
          {t('canned.body')}
          <textarea
            rows={4}
            value={draft.body}
            required
            maxLength={Math.min(CANNED_REPLY_LIMITS.body, LIMITS.messageText)}
            aria-describedby={`${id}-body-hint`}
            onChange={(e) => edit({ body: e.target.value })}
          />
        </label>
        <p id={`${id}-body-hint`} className="muted small">
          {t('canned.bodyHint')}
        </p>
      </div>
      {error && (
        <p role="alert" className="error">
          {t('canned.error', { error })}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={() => onDone(null)}>
          {t('canned.cancel')}
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {t('canned.save')}
        </button>
      </div>
    </form>
  );
}
