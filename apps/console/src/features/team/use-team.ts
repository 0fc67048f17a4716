/**
 * The team page's data: members and pending invitations, fetched together,
 * fetched again after every change, and every second while a link is still
 * on its way through the outbox (it shows up a moment after it is made).
 */
import type { InvitationDTO, OperatorRole, TeamMemberDTO } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../../lib/error-message';
import type { TeamApi } from './team-api';

export interface TeamData {
  members: TeamMemberDTO[];
  invitations: InvitationDTO[];
}

const LINK_POLL_MS = 1000;

/** `mayManage`: links of roles the viewer may not manage are never shown to them, so never waited for. */
export function useTeam(api: TeamApi, mayManage: (role: OperatorRole) => boolean) {
  const [data, setData] = useState<TeamData | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const [members, invitations] = await Promise.all([api.members(), api.invitations()]);
      setData({ members: members.members, invitations: invitations.invitations });
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const waitingForLink =
    data !== null &&
    (data.invitations.some((i) => !i.url && !i.expired && mayManage(i.role)) ||
      data.members.some((m) => m.passwordReset && !m.passwordReset.url && mayManage(m.role)));
  useEffect(() => {
    if (!waitingForLink) return;
    const timer = setTimeout(() => void reload(), LINK_POLL_MS);
    return () => clearTimeout(timer);
  }, [waitingForLink, reload]);

  return { data, error, reload };
}
