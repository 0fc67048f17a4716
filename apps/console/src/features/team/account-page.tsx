/**
 * Your account (`/console/settings/account`), open to every operator: change
 * your password (the current one required; your other sessions end) and the
 * list of your sessions — browser, last seen, this one marked — with a way to
 * end any other.
 */
import { LIMITS, type OwnSessionDTO } from '@parley/protocol';
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { MailPreferences } from '../email/mail-preferences';
import type { SettingsPageProps } from '../settings/sections';
import { useWorkspace } from '../shell/workspace-context';
import { teamApi } from './team-api';

export function AccountPage(_props: SettingsPageProps) {
  const { t } = useI18n();
  // A password change ends the other sessions: the list is read again after one.
  const [changes, setChanges] = useState(0);
  return (
    <section className="settings-form" aria-labelledby="account-title">
      <h2 id="account-title">{t('settings.account')}</h2>
      <PasswordForm onChanged={() => setChanges((n) => n + 1)} />
      <SessionsList key={changes} />
      <MailPreferences />
    </section>
  );
}

function PasswordForm({ onChanged }: { onChanged(): void }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const api = useMemo(() => teamApi(workspace.http), [workspace.http]);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setNote(null);
    try {
      const { endedSessions } = await api.changePassword(
        String(data.get('current')),
        String(data.get('new')),
      );
      form.reset();
      onChanged();
      setNote({ ok: true, text: t('account.passwordChanged', { count: endedSessions }) });
    } catch (e) {
      setNote({ ok: false, text: t('account.passwordError', { error: messageOf(e) }) });
    }
  }

  return (
    <form className="settings-section" aria-labelledby="password-title" onSubmit={submit}>
      <h3 id="password-title">{t('account.password')}</h3>
      <label>
        {t('account.currentPassword')}
        <input name="current" type="password" autoComplete="current-password" required />
      </label>
      <label>
        {t('account.newPassword')}
        <input
          name="new"
          type="password"
          autoComplete="new-password"
          required
          minLength={LIMITS.password.min}
          maxLength={LIMITS.password.max}
        />
      </label>
      <p className="muted small">{t('account.passwordHint', { min: LIMITS.password.min })}</p>
      {note && (
        <p className={note.ok ? 'ok small' : 'error small'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
      <div className="dialog-actions">
        <button type="submit" className="primary">
          {t('account.changePassword')}
        </button>
      </div>
    </form>
  );
}

function SessionsList() {
  const { t, formatDateTime } = useI18n();
  const workspace = useWorkspace();
  const api = useMemo(() => teamApi(workspace.http), [workspace.http]);
  const [sessions, setSessions] = useState<OwnSessionDTO[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setSessions((await api.sessions()).sessions);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  async function end(id: string) {
    try {
      await api.endSession(id);
    } catch (e) {
      setError(messageOf(e));
    }
    await load();
  }

  const device = (s: OwnSessionDTO) =>
    [s.browser, s.os].filter(Boolean).join(', ') || t('account.unknownDevice');
  return (
    <section className="settings-section" aria-labelledby="sessions-title">
      <h3 id="sessions-title">{t('account.sessions')}</h3>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <ul className="session-list">
        {sessions?.map((s) => (
          <li key={s.id}>
            <div>
              <strong>{device(s)}</strong>
              {s.current && <span className="badge">{t('account.thisSession')}</span>}
              <div className="small muted">
                {t('account.lastSeen', { date: formatDateTime(s.lastSeenAt) })} ·{' '}
                {t('account.since', { date: formatDateTime(s.createdAt) })}
              </div>
            </div>
            {!s.current && (
              <button
                type="button"
                aria-label={t('account.endSessionOf', { device: device(s) })}
                onClick={() => void end(s.id)}
              >
                {t('account.endSession')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
