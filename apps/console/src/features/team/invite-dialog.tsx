/** Inviting a colleague: email, role (only those the inviter may give) and the sites they will work on. */
import { LIMITS, MANAGEABLE_ROLES, type OperatorRole, type SiteDTO } from '@parley/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import type { TeamApi } from './team-api';

export function InviteDialog({
  api,
  role,
  sites,
  onClose,
  onInvited,
}: {
  api: TeamApi;
  role: OperatorRole;
  sites: SiteDTO[];
  onClose(): void;
  onInvited(): void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const roles = MANAGEABLE_ROLES[role];
  const [email, setEmail] = useState('');
  const [newRole, setNewRole] = useState<OperatorRole>('operator');
  const [siteIds, setSiteIds] = useState(() => sites.map((s) => s.id));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.invite({ email: email.trim(), role: newRole, siteIds });
      onInvited();
    } catch (e) {
      setError(t('team.inviteError', { error: messageOf(e) }));
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="invite-title" onClose={onClose}>
      <form onSubmit={submit} className="profile-form">
        <h2 id="invite-title">{t('team.invite')}</h2>
        <p className="muted small">{t('team.inviteHint')}</p>
        <label>
          {t('team.email')}
          <input
            type="email"
            required
            maxLength={LIMITS.email}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          {t('team.role')}
          <select value={newRole} onChange={(e) => setNewRole(e.target.value as OperatorRole)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`team.role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <SiteChoice sites={sites} chosen={siteIds} onChange={setSiteIds} legend={t('team.sites')} />
        {error && (
          <p className="error small" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('team.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || !email.trim()}>
            {t('team.sendInvitation')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Checkboxes of sites, in a named group. */
export function SiteChoice({
  sites,
  chosen,
  onChange,
  legend,
}: {
  sites: SiteDTO[];
  chosen: string[];
  onChange(siteIds: string[]): void;
  legend: string;
}) {
  return (
    <fieldset className="site-choice">
      <legend>{legend}</legend>
      {sites.map((site) => (
        <label key={site.id} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(site.id)}
            onChange={(e) =>
              onChange(e.target.checked ? [...chosen, site.id] : chosen.filter((id) => id !== site.id))
            }
          />
          {site.name}
        </label>
      ))}
    </fieldset>
  );
}
