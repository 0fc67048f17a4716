/**
 * Your account › Email notifications: which mails this operator gets —
 * offline requests, missed chats, and (owners) the sites' digests. Each box
 * saves at once; the unsubscribe link in a mail turns the same switch off.
 */
import type { MailPreferencesDTO } from '@parley/protocol';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { mailApi } from './mail-api';

const KINDS = [
  { key: 'offlineRequests', label: 'mail.prefOffline' },
  { key: 'missedChats', label: 'mail.prefMissed' },
  { key: 'digest', label: 'mail.prefDigest' },
] as const;

export function MailPreferences() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const role = useInbox((s) => s.operator.role);
  const api = useMemo(() => mailApi(workspace.http), [workspace.http]);
  const [prefs, setPrefs] = useState<MailPreferencesDTO | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    api.preferences().then(setPrefs, (e) => setNote({ ok: false, text: messageOf(e) }));
  }, [api]);

  async function change(key: keyof MailPreferencesDTO, value: boolean) {
    setNote(null);
    // Shown at once; the server's answer (or the old value on a failure) follows.
    const before = prefs;
    setPrefs((current) => current && { ...current, [key]: value });
    try {
      setPrefs(await api.updatePreferences({ [key]: value }));
      setNote({ ok: true, text: t('mail.prefSaved') });
    } catch (e) {
      setPrefs(before);
      setNote({ ok: false, text: t('siteSettings.error', { error: messageOf(e) }) });
    }
  }

  return (
    <section className="settings-section" aria-labelledby="mail-prefs-title">
      <h3 id="mail-prefs-title">{t('mail.prefsTitle')}</h3>
      <p className="muted small">{t('mail.prefsHint')}</p>
      {prefs &&
        KINDS.filter((kind) => kind.key !== 'digest' || role === 'owner').map((kind) => (
          <label key={kind.key} className="checkbox">
            <input
              type="checkbox"
              checked={prefs[kind.key]}
              onChange={(e) => void change(kind.key, e.target.checked)}
            />
            {t(kind.label)}
          </label>
        ))}
      <p className={note?.ok === false ? 'error small' : 'ok small'} role="status">
        {note?.text}
      </p>
    </section>
  );
}
