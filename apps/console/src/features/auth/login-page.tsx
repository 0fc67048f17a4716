/** The login form: email and password, then the workspace. */
import type { SessionResponse } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { ApiError, type HttpClient } from '../../api/http-client';
import { useI18n } from '../../i18n/i18n';
import { LanguageSelect } from '../shell/language-select';

export function LoginPage({
  http,
  onLoggedIn,
}: {
  http: HttpClient;
  onLoggedIn(session: SessionResponse): void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(
        await http.login({ email: String(form.get('email')), password: String(form.get('password')) }),
      );
    } catch (e) {
      setError(
        e instanceof ApiError && e.code === 'unauthorized'
          ? t('login.wrong')
          : t('login.failed', { error: e instanceof Error ? e.message : String(e) }),
      );
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit}>
        <div className="login-head">
          <div>
            <h1>{t('app.name')}</h1>
            <p className="muted small">{t('app.console')}</p>
          </div>
          <LanguageSelect />
        </div>
        <p className="muted">{t('login.title')}</p>
        <label>
          {t('login.email')}
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
