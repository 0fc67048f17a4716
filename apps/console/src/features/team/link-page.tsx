/**
 * The page a one-time link opens (`/console/join#<token>` for an invitation,
 * `/console/reset-password#<token>` for a reset): it says what the link is
 * for, or clearly why it can no longer be used; an invitation asks for a name
 * and a password, a reset for a password; then the person is logged in.
 */
import { LIMITS, type SessionResponse, type TeamLinkInfo } from '@parley/protocol';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { ApiError, type HttpClient } from '../../api/http-client';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { LanguageSelect } from '../shell/language-select';
import { teamApi } from './team-api';

type LinkState =
  | { kind: 'loading' }
  | { kind: 'invalid' }
  | { kind: 'failed'; error: string }
  | { kind: 'ready'; info: TeamLinkInfo };

export function TeamLinkPage({
  http,
  token,
  onLoggedIn,
}: {
  http: HttpClient;
  token: string;
  onLoggedIn(session: SessionResponse): void;
}) {
  const { t } = useI18n();
  const api = useMemo(() => teamApi(http), [http]);
  const [state, setState] = useState<LinkState>({ kind: 'loading' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.lookupLink(token).then(
      (info) => setState({ kind: 'ready', info }),
      (e) =>
        setState(
          e instanceof ApiError && (e.status === 404 || e.status === 400)
            ? { kind: 'invalid' }
            : { kind: 'failed', error: messageOf(e) },
        ),
    );
  }, [api, token]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const name = data.get('name');
      onLoggedIn(
        await api.acceptLink({
          token,
          password: String(data.get('password')),
          ...(name !== null && { displayName: String(name).trim() }),
        }),
      );
    } catch (e) {
      setError(t('link.error', { error: messageOf(e) }));
      setBusy(false);
    }
  }

  const info = state.kind === 'ready' ? state.info : null;
  const title = info?.kind === 'password_reset' ? t('link.resetTitle') : t('link.joinTitle');
  return (
    <main className="login">
      <div className="login-card">
        <div className="login-head">
          <div>
            <h1>{t('app.name')}</h1>
            <p className="muted small">{t('app.console')}</p>
          </div>
          <LanguageSelect />
        </div>
        {state.kind === 'loading' && <p className="muted">{t('list.loading')}</p>}
        {state.kind === 'invalid' && <DeadLink text={t('link.invalid')} />}
        {state.kind === 'failed' && <DeadLink text={t('link.failed', { error: state.error })} />}
        {info && info.state !== 'valid' && <DeadLink text={t(`link.${info.state}`)} />}
        {info && info.state === 'valid' && (
          <form onSubmit={submit} aria-labelledby="link-title">
            <h2 id="link-title">{title}</h2>
            <p className="muted small">
              {info.role
                ? t('link.joinAs', { email: info.email, role: t(`team.role.${info.role}`) })
                : t('link.resetFor', { email: info.email })}
            </p>
            {info.kind === 'invitation' && (
              <label>
                {t('link.name')}
                <input name="name" required maxLength={LIMITS.displayName} autoComplete="name" />
              </label>
            )}
            <label>
              {t('link.password')}
              <input
                name="password"
                type="password"
                required
                autoComplete="new-password"
                minLength={LIMITS.password.min}
                maxLength={LIMITS.password.max}
              />
            </label>
            <p className="muted small">{t('account.passwordHint', { min: LIMITS.password.min })}</p>
            {error && (
              <p className="error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="primary" disabled={busy}>
              {info.kind === 'invitation' ? t('link.join') : t('link.setPassword')}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}

function DeadLink({ text }: { text: string }) {
  const { t } = useI18n();
  return (
    <div role="alert">
      <h2>{t('link.deadTitle')}</h2>
      <p>{text}</p>
      <a href="/console/">{t('link.toLogin')}</a>
    </div>
  );
}
