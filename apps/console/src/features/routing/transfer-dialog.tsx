/**
 * Transfer a conversation to a colleague or a department with a note only
 * operators see, or invite a colleague in. When the server says the
 * colleague handed this conversation on before, the dialog asks for a reason.
 */
import { type ConversationDTO, ROUTING_LIMITS } from '@parley/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/http-client';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { useSiteOperators } from './assignee-badge';
import { routingApi } from './routing-api';
import { useSitesRouting } from './use-site-routing';

export function TransferDialog({
  conversation,
  mode,
  onClose,
}: {
  conversation: ConversationDTO;
  mode: 'transfer' | 'invite';
  onClose(): void;
}) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const me = useInbox((s) => s.operator.id);
  const ref = useRef<HTMLDialogElement>(null);
  const operators = useSiteOperators(conversation.siteId).filter(
    (o) => o.id !== me && o.id !== conversation.assigneeId,
  );
  const departments = useSitesRouting([conversation.siteId])[conversation.siteId]?.departments ?? [];
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [needsReason, setNeedsReason] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!target) return;
    setBusy(true);
    setError(null);
    const api = routingApi(workspace.http);
    const [kind, id] = target.split(':') as ['operator' | 'department', string];
    try {
      if (mode === 'invite') await api.invite(conversation.id, id);
      else
        await api.transfer(conversation.id, {
          ...(kind === 'operator' ? { toOperatorId: id } : { toDepartmentId: id }),
          ...(note.trim() && { note: note.trim() }),
          ...(reason.trim() && { reason: reason.trim() }),
        });
      ref.current?.close();
    } catch (e) {
      // The server asks for a reason when it goes back to someone who handed it on (no ping-pong).
      if (e instanceof ApiError && e.code === 'bad_request' && kind === 'operator' && !reason.trim())
        setNeedsReason(true);
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const title = mode === 'invite' ? t('routing.invite') : t('routing.transferTitle');
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="transfer-title" onClose={onClose}>
      <form onSubmit={submit} className="transfer-form">
        <h2 id="transfer-title">{title}</h2>
        <label>
          {t('routing.transferTo')}
          <select value={target} required onChange={(e) => setTarget(e.target.value)}>
            <option value="" disabled>
              —
            </option>
            <optgroup label={t('routing.colleagues')}>
              {operators.map((o) => (
                <option key={o.id} value={`operator:${o.id}`}>
                  {o.displayName}
                </option>
              ))}
            </optgroup>
            {mode === 'transfer' && departments.length > 0 && (
              <optgroup label={t('routing.departments')}>
                {departments.map((d) => (
                  <option key={d.id} value={`department:${d.id}`}>
                    {d.name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        {mode === 'transfer' && (
          <label>
            {t('routing.note')}
            <textarea
              rows={3}
              maxLength={ROUTING_LIMITS.transferNote}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
        )}
        {needsReason && (
          <label>
            {t('routing.reason')}
            <span className="muted small">{t('routing.reasonHint')}</span>
            <textarea
              rows={2}
              required
              maxLength={ROUTING_LIMITS.transferNote}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
        )}
        {error && (
          <p className="error small" role="alert">
            {t('routing.error', { error })}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={() => ref.current?.close()}>
            {t('routing.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || !target}>
            {mode === 'invite' ? t('routing.inviteSubmit') : t('routing.transferSubmit')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
