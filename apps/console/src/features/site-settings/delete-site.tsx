/**
 * Deleting a site from its settings page: a button, then a dialog that names
 * the site and says what goes with it (visitors, conversations, messages; the
 * widget stops). The dialog's default button is Cancel.
 */
import type { SiteDTO } from '@parley/protocol';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { navigate } from '../../lib/location';
import { pathForSettings } from '../../store/routes';
import { useWorkspace } from '../shell/workspace-context';

export function DeleteSite({ site }: { site: SiteDTO }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="settings-section danger-zone" aria-labelledby="site-delete-title">
      <h3 id="site-delete-title">{t('sites.deleteSection')}</h3>
      <p className="muted small">{t('sites.deleteHint')}</p>
      <div>
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {t('sites.delete')}
        </button>
      </div>
      {confirming && <ConfirmDeleteDialog site={site} onClose={() => setConfirming(false)} />}
    </section>
  );
}

function ConfirmDeleteDialog({ site, onClose }: { site: SiteDTO; onClose(): void }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await workspace.deleteSite(site.id);
      ref.current?.close();
      navigate(pathForSettings('sites'), { replace: true });
    } catch (failure) {
      setError(t('sites.deleteFailed', { error: messageOf(failure) }));
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      role="alertdialog"
      aria-labelledby="delete-site-title"
      aria-describedby="delete-site-warning"
      onClose={onClose}
    >
      <h2 id="delete-site-title">{t('sites.deleteTitle', { name: site.name })}</h2>
      <p id="delete-site-warning">{t('sites.deleteWarning')}</p>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        {/* biome-ignore lint/a11y/noAutofocus: the safe choice has the focus in a destructive dialog */}
        <button type="button" autoFocus onClick={() => ref.current?.close()} disabled={busy}>
          {t('sites.cancel')}
        </button>
        <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>
          {busy ? t('sites.deleting') : t('sites.deleteConfirm', { name: site.name })}
        </button>
      </div>
    </dialog>
  );
}
