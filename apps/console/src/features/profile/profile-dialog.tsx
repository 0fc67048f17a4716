/**
 * The operator's profile: the display name and photo visitors see. The photo
 * is cropped to a square and reduced in the browser before upload.
 */
import { LIMITS } from '@parley/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { RouteLink } from '../../lib/route-link';
import { pathForSettings } from '../../store/routes';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { Avatar } from './avatar';
import { NotAnImageError, squareAvatar } from './square-image';

export function ProfileDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const operator = useInbox((s) => s.operator);
  const ref = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState(operator.displayName);
  const [photo, setPhoto] = useState<{ blob: Blob; url: string } | null>(null);
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    ref.current?.showModal();
  }, []);
  useEffect(() => () => (photo ? URL.revokeObjectURL(photo.url) : undefined), [photo]);

  async function choose(file: File | undefined) {
    if (!file) return;
    setNote(null);
    try {
      const blob = await squareAvatar(file);
      setPhoto({ blob, url: URL.createObjectURL(blob) });
    } catch (error) {
      setNote({
        kind: 'error',
        text: error instanceof NotAnImageError ? t('profile.notImage') : messageOf(error),
      });
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setNote(null);
    try {
      await workspace.updateProfile(name.trim(), photo?.blob ?? null);
      setPhoto(null);
      setNote({ kind: 'ok', text: t('profile.saved') });
    } catch (error) {
      setNote({ kind: 'error', text: t('profile.error', { error: messageOf(error) }) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="profile-title" onClose={onClose}>
      <form onSubmit={save} className="profile-form">
        <h2 id="profile-title">{t('profile.title')}</h2>
        <p className="muted small">{t('profile.hint')}</p>
        <div className="profile-photo">
          {photo ? (
            <img className="avatar" src={photo.url} alt="" width={72} height={72} />
          ) : (
            <Avatar name={name || operator.displayName} url={operator.avatarUrl} size={72} />
          )}
          <div>
            <label className="button-like">
              {t('profile.upload')}
              <input
                type="file"
                accept="image/png,image/jpeg,image/webp"
                className="visually-hidden"
                onChange={(e) => void choose(e.target.files?.[0])}
              />
            </label>
            <p className="muted small">{t('profile.photoHint')}</p>
          </div>
        </div>
        <label>
          {t('profile.displayName')}
          <input
            value={name}
            required
            maxLength={LIMITS.displayName}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        {note && (
          <p
            className={note.kind === 'ok' ? 'ok small' : 'error small'}
            role={note.kind === 'ok' ? 'status' : 'alert'}
          >
            {note.text}
          </p>
        )}
        <p className="small">
          <RouteLink href={pathForSettings('account')} onClick={onClose}>
            {t('profile.security')}
          </RouteLink>
        </p>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('profile.close')}
          </button>
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            {t('profile.save')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
