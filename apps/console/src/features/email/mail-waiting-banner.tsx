/**
 * "12 emails waiting: configure SMTP" — for owners and admins, across the
 * top of the console while Parley has no SMTP_URL and mail waits in the
 * outbox (nothing is dropped; it goes once SMTP is set). Also says when
 * emails were given up (refused by the mail server). Looked up on sign-in
 * and every few minutes.
 */
import type { MailStatusResponse } from '@parley/protocol';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { mailApi } from './mail-api';

const REFRESH_MS = 5 * 60_000;

export function MailWaitingBanner() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const role = useInbox((s) => s.operator.role);
  const api = useMemo(() => mailApi(workspace.http), [workspace.http]);
  const [status, setStatus] = useState<MailStatusResponse | null>(null);
  const allowed = role === 'owner' || role === 'admin';

  useEffect(() => {
    if (!allowed) return;
    let live = true;
    const load = () =>
      api.status().then(
        (answer) => live && setStatus(answer),
        () => {},
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, allowed]);

  if (!allowed || !status) return null;
  const waiting = !status.smtpConfigured && status.waiting > 0;
  if (!waiting && status.failed === 0) return null;
  return (
    <section className="mail-banner" role="status" aria-label={t('mail.bannerLabel')}>
      {waiting && <p>{t('mail.waiting', { count: status.waiting })}</p>}
      {status.failed > 0 && <p>{t('mail.failed', { count: status.failed })}</p>}
    </section>
  );
}
