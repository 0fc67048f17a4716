/**
 * The Team section (`/console/settings/team`): everyone on the team with
 * role, status and sites, what the viewer may change about each (role,
 * sites, password link, deactivation), and the invitations not accepted yet
 * with their links to copy until Parley sends email.
 */
import { MANAGEABLE_ROLES, type OperatorRole, type TeamMemberDTO } from '@parley/protocol';
import { useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { Avatar } from '../profile/avatar';
import type { SettingsPageProps } from '../settings/sections';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { CopyLink } from './copy-link';
import { InviteDialog } from './invite-dialog';
import { SitesDialog } from './sites-dialog';
import { teamApi } from './team-api';
import { useTeam } from './use-team';

export function TeamPage(_props: SettingsPageProps) {
  const { t, formatDateTime } = useI18n();
  const workspace = useWorkspace();
  const me = useInbox((s) => s.operator);
  const sites = useInbox((s) => s.sites);
  const api = useMemo(() => teamApi(workspace.http), [workspace.http]);
  const mayManage = (role: OperatorRole) => MANAGEABLE_ROLES[me.role].includes(role);
  const { data, error, reload } = useTeam(api, mayManage);
  const [inviting, setInviting] = useState(false);
  const [granting, setGranting] = useState<TeamMemberDTO | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const siteName = (id: string) => sites.find((s) => s.id === id)?.name;

  async function act(action: () => Promise<unknown>) {
    setActionError(null);
    try {
      await action();
    } catch (e) {
      setActionError(messageOf(e));
    }
    await reload();
  }

  return (
    <section className="team-page" aria-labelledby="team-title">
      <div className="settings-head">
        <h2 id="team-title">{t('settings.team')}</h2>
        {mayManage('operator') && (
          <button type="button" className="primary" onClick={() => setInviting(true)}>
            {t('team.invite')}
          </button>
        )}
      </div>
      {(error || actionError) && (
        <p className="error small" role="alert">
          {t('team.error', { error: actionError ?? error ?? '' })}
        </p>
      )}
      {!data ? (
        <p className="muted">{t('list.loading')}</p>
      ) : (
        <>
          <table className="team-table">
            <caption className="visually-hidden">{t('team.members')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('team.name')}</th>
                <th scope="col">{t('team.email')}</th>
                <th scope="col">{t('team.role')}</th>
                <th scope="col">{t('team.status')}</th>
                <th scope="col">{t('team.sites')}</th>
                <th scope="col">{t('team.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.members.map((member) => {
                const self = member.id === me.id;
                const manageable = mayManage(member.role);
                const name = member.displayName;
                return (
                  <tr key={member.id} className={member.deactivatedAt ? 'deactivated' : undefined}>
                    <th scope="row">
                      <span className="team-name">
                        <Avatar name={name} url={member.avatarUrl} size={28} />
                        {name}
                        {self && <span className="muted small"> ({t('author.you')})</span>}
                      </span>
                    </th>
                    <td>{member.email}</td>
                    <td>
                      {manageable ? (
                        <select
                          aria-label={t('team.roleOf', { name })}
                          value={member.role}
                          onChange={(e) =>
                            void act(() => api.changeRole(member.id, e.target.value as OperatorRole))
                          }
                        >
                          {MANAGEABLE_ROLES[me.role].map((r) => (
                            <option key={r} value={r}>
                              {t(`team.role.${r}`)}
                            </option>
                          ))}
                        </select>
                      ) : (
                        t(`team.role.${member.role}`)
                      )}
                    </td>
                    <td>{member.deactivatedAt ? t('team.deactivated') : t('team.active')}</td>
                    <td>
                      <span className="small">
                        {member.siteIds.map(siteName).filter(Boolean).join(', ') || t('team.noSites')}
                      </span>
                      {manageable && (
                        <button
                          type="button"
                          className="ghost small"
                          aria-label={t('team.editSitesOf', { name })}
                          onClick={() => setGranting(member)}
                        >
                          {t('team.editSites')}
                        </button>
                      )}
                    </td>
                    <td className="team-actions">
                      {manageable && !member.deactivatedAt && (
                        <button
                          type="button"
                          aria-label={t('team.resetPasswordOf', { name })}
                          onClick={() => void act(() => api.resetPassword(member.id))}
                        >
                          {t('team.resetPassword')}
                        </button>
                      )}
                      {manageable && !self && !member.deactivatedAt && (
                        <button
                          type="button"
                          className="danger"
                          aria-label={t('team.deactivateOf', { name })}
                          onClick={() => {
                            if (window.confirm(t('team.deactivateConfirm', { name })))
                              void act(() => api.deactivate(member.id));
                          }}
                        >
                          {t('team.deactivate')}
                        </button>
                      )}
                      {manageable && member.deactivatedAt && (
                        <button
                          type="button"
                          aria-label={t('team.reactivateOf', { name })}
                          onClick={() => void act(() => api.reactivate(member.id))}
                        >
                          {t('team.reactivate')}
                        </button>
                      )}
                      {member.passwordReset && manageable && (
                        <span className="team-link">
                          <span className="small">
                            {t('team.resetLinkUntil', {
                              date: formatDateTime(member.passwordReset.expiresAt),
                            })}
                          </span>
                          <CopyLink url={member.passwordReset.url} label={t('team.resetLinkOf', { name })} />
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>

          <section aria-labelledby="invitations-title" className="settings-section">
            <h3 id="invitations-title">{t('team.pending')}</h3>
            {data.invitations.length === 0 ? (
              <p className="muted small">{t('team.noPending')}</p>
            ) : (
              <ul className="invitation-list">
                {data.invitations.map((invitation) => (
                  <li key={invitation.id}>
                    <div>
                      <strong>{invitation.email}</strong> · {t(`team.role.${invitation.role}`)}
                      <div className="small muted">
                        {invitation.expired
                          ? t('team.expired')
                          : t('team.validUntil', { date: formatDateTime(invitation.expiresAt) })}
                      </div>
                    </div>
                    {!invitation.expired && mayManage(invitation.role) && (
                      <CopyLink
                        url={invitation.url}
                        label={t('team.invitationLinkOf', { email: invitation.email })}
                      />
                    )}
                    {mayManage(invitation.role) && (
                      <span className="team-actions">
                        <button
                          type="button"
                          aria-label={t('team.resendOf', { email: invitation.email })}
                          onClick={() => void act(() => api.resend(invitation.id))}
                        >
                          {t('team.resend')}
                        </button>
                        <button
                          type="button"
                          className="danger"
                          aria-label={t('team.revokeOf', { email: invitation.email })}
                          onClick={() => void act(() => api.revoke(invitation.id))}
                        >
                          {t('team.revoke')}
                        </button>
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      {inviting && (
        <InviteDialog
          api={api}
          role={me.role}
          sites={sites}
          onClose={() => setInviting(false)}
          onInvited={() => {
            setInviting(false);
            void reload();
          }}
        />
      )}
      {granting && (
        <SitesDialog
          api={api}
          member={granting}
          sites={sites}
          onClose={() => setGranting(null)}
          onSaved={() => {
            setGranting(null);
            void reload();
          }}
        />
      )}
    </section>
  );
}
