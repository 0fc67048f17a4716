/** Which of the granter's sites a colleague works on. */
import type { SiteDTO, TeamMemberDTO } from '@parley/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { SiteChoice } from './invite-dialog';
import type { TeamApi } from './team-api';

export function SitesDialog({
  api,
  member,
  sites,
  onClose,
  onSaved,
}: {
  api: TeamApi;
  member: TeamMemberDTO;
  sites: SiteDTO[];
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [chosen, setChosen] = useState(() => member.siteIds.filter((id) => sites.some((s) => s.id === id)));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      await api.setSites(member.id, chosen);
      onSaved();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="sites-dialog-title" onClose={onClose}>
      <form onSubmit={save} className="profile-form">
        <h2 id="sites-dialog-title">{t('team.sitesOf', { name: member.displayName })}</h2>
        <SiteChoice sites={sites} chosen={chosen} onChange={setChosen} legend={t('team.sites')} />
        {error && (
          <p className="error small" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('team.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('team.saveSites')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
