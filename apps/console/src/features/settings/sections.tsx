/**
 * The settings area's sections, in the order the navigation lists them. A
 * feature with settings adds one entry here and keeps its page in its own
 * folder; the entry's id is its address (`/console/settings/<id>[/<itemId>]`).
 */
import type { OperatorRole } from '@parley/protocol';
import type { ComponentType } from 'react';
import type { MessageKey } from '../../i18n/en';
import { CANNED_SECTION, CannedRepliesPage } from '../canned-replies/canned-replies-page';
import { RoutingSettingsPage } from '../routing/routing-settings-page';
import { SitesSettingsPage } from '../site-settings/sites-settings-page';
import { TagsSettingsPage } from '../tags/tags-settings-page';
import { AccountPage } from '../team/account-page';
import { TeamPage } from '../team/team-page';
import { TrackingSettingsPage } from '../tracking/tracking-settings-page';
import { SegmentsSettingsPage } from '../visitor/segments-settings-page';

export interface SettingsPageProps {
  /** The address's last part, when it names one item of the section (a site, a colleague…). */
  itemId: string | null;
}

export interface SettingsSection {
  id: string;
  label: MessageKey;
  visibleTo(role: OperatorRole): boolean;
  Page: ComponentType<SettingsPageProps>;
}

const ownersAndAdmins = (role: OperatorRole) => role === 'owner' || role === 'admin';

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  { id: 'sites', label: 'settings.sites', visibleTo: ownersAndAdmins, Page: SitesSettingsPage },
  { id: 'team', label: 'settings.team', visibleTo: ownersAndAdmins, Page: TeamPage },
  { id: 'account', label: 'settings.account', visibleTo: () => true, Page: AccountPage },
  { id: 'routing', label: 'settings.routing', visibleTo: ownersAndAdmins, Page: RoutingSettingsPage },
  // Everyone keeps personal replies; owners and admins also the shared ones (the page tells which).
  { id: CANNED_SECTION, label: 'settings.canned', visibleTo: () => true, Page: CannedRepliesPage },
  { id: 'tags', label: 'settings.tags', visibleTo: ownersAndAdmins, Page: TagsSettingsPage },
  { id: 'tracking', label: 'settings.tracking', visibleTo: ownersAndAdmins, Page: TrackingSettingsPage },
  { id: 'segments', label: 'settings.segments', visibleTo: ownersAndAdmins, Page: SegmentsSettingsPage },
];

export function sectionsFor(role: OperatorRole): SettingsSection[] {
  return SETTINGS_SECTIONS.filter((section) => section.visibleTo(role));
}
