/**
 * A site's identity section, on its settings page (owners and admins): the identity secret
 * (hidden until shown, copied, rotated after a warning), whether identify calls must be signed,
 * and copyable examples of computing userHash on the site's server.
 */
import type { SiteDTO, SiteIdentityDTO } from '@parley/protocol';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useWorkspace } from '../shell/workspace-context';
import { identityApi, PAGE_EXAMPLE, SERVER_EXAMPLES, type ServerLanguage } from './identity-api';

type Note = { kind: 'ok'; text: string } | { kind: 'error'; text: string } | null;

export function IdentitySettings({ site }: { site: SiteDTO }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const api = identityApi(workspace.http);
  const [identity, setIdentity] = useState<SiteIdentityDTO | null>(null);
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);
  const [language, setLanguage] = useState<ServerLanguage>('node');
  const secretRef = useRef<HTMLElement>(null);
  const exampleRef = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    identityApi(workspace.http)
      .get(site.id)
      .then(
        (loaded) => live && setIdentity(loaded),
        (error) =>
          live && setNote({ kind: 'error', text: t('identity.loadError', { error: messageOf(error) }) }),
      );
    return () => {
      live = false;
    };
  }, [site.id, workspace.http, t]);

  async function run(action: () => Promise<SiteIdentityDTO>, done: string, before?: SiteIdentityDTO) {
    setBusy(true);
    try {
      setIdentity(await action());
      setNote({ kind: 'ok', text: done });
    } catch (error) {
      if (before) setIdentity(before);
      setNote({ kind: 'error', text: t('identity.error', { error: messageOf(error) }) });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  async function copy(text: string, element: HTMLElement | null) {
    try {
      await navigator.clipboard.writeText(text);
      setNote({ kind: 'ok', text: t('identity.copied') });
    } catch {
      // No clipboard (plain http on a non-local address): select the text so Ctrl+C copies it.
      if (element) getSelection()?.selectAllChildren(element);
      setNote({ kind: 'error', text: t('identity.copyFailed') });
    }
  }

  const example = SERVER_EXAMPLES[language];
  return (
    <section className="settings-section identity-settings" aria-labelledby="identity-title">
      <h3 id="identity-title">{t('identity.settings')}</h3>
      <p className="muted small">{t('identity.settingsHint')}</p>
      {identity && (
        <>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={identity.requireVerification}
              disabled={busy}
              onChange={(e) => {
                const on = e.target.checked;
                // Shown at once; the server's answer (or the old value, on an error) follows.
                setIdentity({ ...identity, requireVerification: on });
                void run(() => api.setRequired(site.id, on), t('identity.saved'), identity);
              }}
            />
            {t('identity.require')}
          </label>
          <div className="identity-secret">
            <span>{t('identity.secret')}: </span>
            {shown ? (
              <code ref={secretRef}>{identity.secret}</code>
            ) : (
              <span className="muted small">{t('identity.secretHidden')}</span>
            )}
          </div>
          <div className="settings-row">
            <button type="button" aria-pressed={shown} onClick={() => setShown(!shown)}>
              {shown ? t('identity.hide') : t('identity.show')}
            </button>
            <button type="button" onClick={() => void copy(identity.secret, secretRef.current)}>
              {t('identity.copySecret')}
            </button>
            {!confirming && (
              <button type="button" onClick={() => setConfirming(true)} disabled={busy}>
                {t('identity.rotate')}
              </button>
            )}
          </div>
          {confirming && (
            <div className="settings-row identity-rotate">
              <p className="small">{t('identity.rotateWarning')}</p>
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => void run(() => api.rotate(site.id), t('identity.rotated'))}
              >
                {t('identity.rotateConfirm')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('identity.cancel')}
              </button>
            </div>
          )}
          <h4>{t('identity.example')}</h4>
          <label>
            {t('identity.exampleLanguage')}
            <select value={language} onChange={(e) => setLanguage(e.target.value as ServerLanguage)}>
              {(Object.keys(SERVER_EXAMPLES) as ServerLanguage[]).map((key) => (
                <option key={key} value={key}>
                  {SERVER_EXAMPLES[key].label}
                </option>
              ))}
            </select>
          </label>
          <pre className="snippet">
            <code ref={exampleRef}>{`${example.code}\n\n${PAGE_EXAMPLE}`}</code>
          </pre>
          <div className="settings-row">
            <button
              type="button"
              onClick={() => void copy(`${example.code}\n\n${PAGE_EXAMPLE}`, exampleRef.current)}
            >
              {t('identity.copyExample')}
            </button>
          </div>
        </>
      )}
      <p className="small" role="status">
        {note?.kind === 'ok' && <span className="ok">{note.text}</span>}
      </p>
      {note?.kind === 'error' && (
        <p className="error small" role="alert">
          {note.text}
        </p>
      )}
    </section>
  );
}
