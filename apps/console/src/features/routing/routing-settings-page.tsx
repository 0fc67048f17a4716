/**
 * The "Departments and routing" settings section, per site
 * (`/console/settings/routing/<siteId>`): how new chats are given out, when
 * a waiting chat escalates, whether visitors pick a department, the
 * departments and their members, and each operator's chat limit.
 */
import {
  ROUTING_LIMITS,
  type RoutingMode,
  type RoutingSettingsDTO,
  type SiteRoutingResponse,
} from '@parley/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { RouteLink } from '../../lib/route-link';
import { pathForSettings } from '../../store/routes';
import type { SettingsPageProps } from '../settings/sections';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { routingApi } from './routing-api';
import { loadSiteRouting } from './use-site-routing';

export function RoutingSettingsPage({ itemId }: SettingsPageProps) {
  const { t } = useI18n();
  const sites = useInbox((s) => s.sites);
  const siteId = itemId ?? (sites.length === 1 ? sites[0]?.id : undefined);
  const site = sites.find((s) => s.id === siteId);
  if (site) return <SiteRouting key={site.id} siteId={site.id} siteName={site.name} />;
  if (itemId)
    return (
      <p role="alert" className="error">
        {t('siteSettings.notFound')}
      </p>
    );
  return (
    <section className="settings-list" aria-labelledby="routing-title">
      <h2 id="routing-title">{t('settings.routing')}</h2>
      <ul>
        {sites.map((s) => (
          <li key={s.id}>
            <RouteLink href={pathForSettings('routing', s.id)}>{s.name}</RouteLink>
          </li>
        ))}
      </ul>
    </section>
  );
}

function SiteRouting({ siteId, siteName }: { siteId: string; siteName: string }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const api = routingApi(workspace.http);
  const [page, setPage] = useState<SiteRoutingResponse | null>(null);
  const [draft, setDraft] = useState<RoutingSettingsDTO | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    loadSiteRouting(workspace.http, siteId, true).then(
      (loaded) => {
        setPage(loaded);
        setDraft(loaded.settings);
      },
      (e: unknown) => setStatus({ ok: false, text: messageOf(e) }),
    );
  }, [workspace, siteId]);

  /** Runs a change, shows the page as the server left it, and refreshes what the inbox shows. */
  async function run(change: () => Promise<unknown>) {
    setStatus(null);
    try {
      await change();
      const fresh = await loadSiteRouting(workspace.http, siteId, true);
      setPage(fresh);
      setDraft(fresh.settings);
      setStatus({ ok: true, text: t('routing.settings.saved') });
    } catch (e) {
      setStatus({ ok: false, text: t('routing.error', { error: messageOf(e) }) });
    }
  }

  function saveSettings(event: FormEvent) {
    event.preventDefault();
    if (draft) void run(() => api.update(siteId, draft));
  }

  return (
    <section className="settings-form" aria-labelledby="routing-site-title">
      <h2 id="routing-site-title">{t('routing.settings.title', { site: siteName })}</h2>
      {status && (
        <p className={status.ok ? 'muted' : 'error'} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
      {draft && (
        <form className="settings-section" onSubmit={saveSettings}>
          <label>
            {t('routing.settings.mode')}
            <select
              value={draft.mode}
              onChange={(e) => setDraft({ ...draft, mode: e.target.value as RoutingMode })}
            >
              <option value="auto">{t('routing.settings.mode.auto')}</option>
              <option value="queue">{t('routing.settings.mode.queue')}</option>
            </select>
          </label>
          <label>
            {t('routing.settings.alert')}
            <input
              type="number"
              min={ROUTING_LIMITS.escalationSeconds.min}
              max={ROUTING_LIMITS.escalationSeconds.max}
              value={draft.alertAfterSeconds}
              onChange={(e) => setDraft({ ...draft, alertAfterSeconds: Number(e.target.value) })}
            />
          </label>
          <label>
            {t('routing.settings.escalate')}
            <input
              type="number"
              min={ROUTING_LIMITS.escalationSeconds.min}
              max={ROUTING_LIMITS.escalationSeconds.max}
              value={draft.escalateAfterSeconds}
              onChange={(e) => setDraft({ ...draft, escalateAfterSeconds: Number(e.target.value) })}
            />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.departmentPicker}
              onChange={(e) => setDraft({ ...draft, departmentPicker: e.target.checked })}
            />
            {t('routing.settings.picker')}
          </label>
          <button type="submit" className="primary">
            {t('routing.settings.save')}
          </button>
        </form>
      )}
      {page && <Departments page={page} siteId={siteId} run={run} />}
      {page && <Limits page={page} siteId={siteId} run={run} />}
    </section>
  );
}

interface SectionProps {
  page: SiteRoutingResponse;
  siteId: string;
  run(change: () => Promise<unknown>): Promise<void>;
}

function Departments({ page, siteId, run }: SectionProps) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const api = routingApi(workspace.http);
  const [name, setName] = useState('');
  const [members, setMembers] = useState<Record<string, string[]>>({});
  const membersOf = (id: string, saved: string[]) => members[id] ?? saved;

  function add(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    void run(() => api.createDepartment(siteId, { name: trimmed })).then(() => setName(''));
  }

  return (
    <section className="settings-section" aria-labelledby="departments-title">
      <h3 id="departments-title">{t('routing.settings.departments')}</h3>
      {page.departments.length === 0 && <p className="muted">{t('routing.settings.noDepartments')}</p>}
      {page.departments.map((d) => (
        <fieldset key={d.id} className="department">
          <legend>{t('routing.settings.members', { name: d.name })}</legend>
          {page.operators.map((o) => {
            const chosen = membersOf(d.id, d.operatorIds);
            return (
              <label key={o.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={chosen.includes(o.id)}
                  onChange={(e) =>
                    setMembers({
                      ...members,
                      [d.id]: e.target.checked ? [...chosen, o.id] : chosen.filter((id) => id !== o.id),
                    })
                  }
                />
                {o.displayName}
              </label>
            );
          })}
          <div className="dialog-actions">
            <button
              type="button"
              onClick={() =>
                void run(() => api.updateDepartment(d.id, { operatorIds: membersOf(d.id, d.operatorIds) }))
              }
            >
              {t('routing.settings.saveMembers', { name: d.name })}
            </button>
            <button type="button" onClick={() => void run(() => api.deleteDepartment(d.id))}>
              {t('routing.settings.deleteDepartment', { name: d.name })}
            </button>
          </div>
        </fieldset>
      ))}
      <form onSubmit={add} className="inline-form">
        <label>
          {t('routing.settings.newDepartment')}
          <input
            value={name}
            maxLength={ROUTING_LIMITS.departmentName}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="submit">{t('routing.settings.addDepartment')}</button>
      </form>
    </section>
  );
}

function Limits({ page, siteId, run }: SectionProps) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const api = routingApi(workspace.http);
  const [limits, setLimits] = useState<Record<string, number>>({});
  return (
    <section className="settings-section" aria-labelledby="limits-title">
      <h3 id="limits-title">{t('routing.settings.limits')}</h3>
      {page.operators.map((o) => (
        <div key={o.id} className="inline-form">
          <label>
            {t('routing.settings.limitOf', { name: o.displayName })}
            <input
              type="number"
              min={ROUTING_LIMITS.chatLimit.min}
              max={ROUTING_LIMITS.chatLimit.max}
              value={limits[o.id] ?? o.chatLimit}
              onChange={(e) => setLimits({ ...limits, [o.id]: Number(e.target.value) })}
            />
          </label>
          <button
            type="button"
            onClick={() => void run(() => api.setChatLimit(siteId, o.id, limits[o.id] ?? o.chatLimit))}
          >
            {t('routing.settings.saveLimit', { name: o.displayName })}
          </button>
        </div>
      ))}
    </section>
  );
}
