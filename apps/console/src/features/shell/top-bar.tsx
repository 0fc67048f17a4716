/**
 * The top bar: connection state, colleagues online, the operator's status,
 * notifications, help, the settings area (when a section is open to this
 * operator), language,
 * profile and logout.
 */
import { OPERATOR_STATUSES, type OperatorStatus } from '@parley/protocol';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useConsoleRoute } from '../../lib/location';
import { notificationPermission, requestNotificationPermission } from '../../lib/notifier';
import { RouteLink } from '../../lib/route-link';
import { PATH_VISITORS_NOW, pathForConversation, pathForSettings } from '../../store/routes';
import { MentionsButton } from '../mentions/mentions-button';
import { Avatar } from '../profile/avatar';
import { ProfileDialog } from '../profile/profile-dialog';
import { sectionsFor } from '../settings/sections';
import { LanguageSelect } from './language-select';
import { useInbox, useWorkspace } from './workspace-context';

export function TopBar({ onLogout, onHelp }: { onLogout(): Promise<void>; onHelp(): void }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const operator = useInbox((s) => s.operator);
  const connection = useInbox((s) => s.connection);
  const presence = useInbox((s) => s.presence);
  const route = useConsoleRoute();
  const canConfigure = sectionsFor(operator.role).length > 0;
  const [permission, setPermission] = useState(notificationPermission);
  const [profileOpen, setProfileOpen] = useState(false);
  const [statusError, setStatusError] = useState<string | null>(null);

  const online = new Set<string>();
  for (const operators of Object.values(presence)) {
    for (const o of operators) if (o.status === 'online' && o.connected) online.add(o.id);
  }

  return (
    <header className="topbar">
      <span className="brand">{t('app.name')}</span>
      <nav className="topbar-nav" aria-label={t('nav.label')}>
        <RouteLink
          className="topbar-link"
          href={pathForConversation(null)}
          aria-current={route.view === 'inbox' ? 'page' : undefined}
        >
          {t('nav.inbox')}
        </RouteLink>
        <RouteLink
          className="topbar-link"
          href={PATH_VISITORS_NOW}
          aria-current={route.view === 'visitors' ? 'page' : undefined}
        >
          {t('visitorsNow.nav')}
        </RouteLink>
      </nav>
      <span className={`connection ${connection}`} role="status">
        {connection === 'connecting' && t('connection.connecting')}
        {connection === 'closed' && t('connection.lost')}
      </span>
      <span className="spacer" />
      {Object.keys(presence).length > 0 && (
        <span className="muted small">{t('presence.online', { count: online.size })}</span>
      )}
      <label className={`status-control status-${operator.status}`}>
        <span className="status-dot" aria-hidden="true" />
        <select
          aria-label={t('status.label')}
          value={operator.status}
          onChange={(e) => {
            setStatusError(null);
            workspace
              .setStatus(e.target.value as OperatorStatus)
              .catch((error: Error) => setStatusError(error.message));
          }}
        >
          {OPERATOR_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
      </label>
      {statusError && (
        <span className="error small" role="alert">
          {statusError}
        </span>
      )}
      {permission === 'default' && (
        <button
          type="button"
          className="ghost small"
          onClick={() => requestNotificationPermission().then(setPermission)}
        >
          {t('notify.enable')}
        </button>
      )}
      <MentionsButton />
      <button
        type="button"
        className="ghost icon"
        aria-label={t('shortcuts.open')}
        title={t('shortcuts.open')}
        onClick={onHelp}
      >
        ?
      </button>
      {canConfigure && (
        <RouteLink className="button-like topbar-link" href={pathForSettings()}>
          {t('settings.open')}
        </RouteLink>
      )}
      <LanguageSelect />
      <button type="button" className="ghost profile-button" onClick={() => setProfileOpen(true)}>
        {/* Named by its content, the visible name first (WCAG 2.5.3 "label in name"): "Anna, Profile". */}
        <Avatar name={operator.displayName} url={operator.avatarUrl} size={24} />
        <span>{operator.displayName}</span>
        <span className="visually-hidden">, {t('profile.open')}</span>
      </button>
      <button type="button" className="ghost" onClick={() => void onLogout()}>
        {t('logout')}
      </button>
      {profileOpen && <ProfileDialog onClose={() => setProfileOpen(false)} />}
    </header>
  );
}
