/**
 * Settings › Tags, for owners and admins: per site, whether closing asks for a
 * reason and whether operators see visitors' drafts (sneak peek), then the
 * site's tags to rename, recolour or delete. Each change is saved at once;
 * every console sees it live (`tags.updated`).
 */
import {
  type SiteDTO,
  type SiteSettings,
  TAG_COLORS,
  TAG_LIMITS,
  type TagColor,
  type TagDTO,
} from '@parley/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import type { SettingsPageProps } from '../settings/sections';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { TagChip } from './tag-chip';
import { TAG_SHADES } from './tag-palette';

export function TagsSettingsPage(_props: SettingsPageProps) {
  const { t } = useI18n();
  const sites = useInbox((s) => s.sites);
  return (
    <div className="settings-form tags-settings">
      <h2>{t('tagsSettings.title')}</h2>
      {sites.map((site) => (
        <SiteTags key={site.id} site={site} showName={sites.length > 1} />
      ))}
    </div>
  );
}

function SiteTags({ site, showName }: { site: SiteDTO; showName: boolean }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const tags = useInbox((s) => s.siteTags[site.id]) ?? [];
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const headingId = `tags-of-${site.id}`;

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    }
  }

  async function setting(changes: Partial<Pick<SiteSettings, 'askCloseReason' | 'sneakPeek'>>) {
    return run(async () => {
      const saved = await workspace.http.updateSite(site.id, { settings: changes });
      workspace.store.update((s) => ({ ...s, sites: s.sites.map((x) => (x.id === saved.id ? saved : x)) }));
    });
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    if (await run(() => workspace.tags.create(site.id, name.trim()))) setName('');
  }

  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {showName ? t('tagsSettings.siteTitle', { name: site.name }) : t('tagsSettings.chat')}
      </h3>
      <SettingBox
        label={t('tagsSettings.askCloseReason')}
        saved={site.settings.askCloseReason}
        save={(on) => setting({ askCloseReason: on })}
      />
      <SettingBox
        label={t('tagsSettings.sneakPeek')}
        saved={site.settings.sneakPeek}
        save={(on) => setting({ sneakPeek: on })}
      />
      <p className="muted small">{t('tagsSettings.sneakPeekHint')}</p>
      <h4>{t('tagsSettings.tags')}</h4>
      {tags.length === 0 && <p className="muted">{t('tagsSettings.empty')}</p>}
      <ul className="tags-settings-list">
        {tags.map((tag) => (
          <TagRow key={tag.id} tag={tag} run={run} />
        ))}
      </ul>
      <form className="tag-add" onSubmit={create}>
        <label>
          {t('tagsSettings.newTag')}
          <input value={name} maxLength={TAG_LIMITS.name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" disabled={!name.trim()}>
          {t('tagsSettings.create')}
        </button>
      </form>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** A site setting's checkbox: shows the change at once and saves it; a refused save puts it back. */
function SettingBox({
  label,
  saved,
  save,
}: {
  label: string;
  saved: boolean;
  save(on: boolean): Promise<boolean>;
}) {
  const [shown, setShown] = useState(saved);
  useEffect(() => setShown(saved), [saved]);
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={shown}
        onChange={async (e) => {
          const on = e.target.checked;
          setShown(on);
          if (!(await save(on))) setShown(!on);
        }}
      />
      {label}
    </label>
  );
}

function TagRow({ tag, run }: { tag: TagDTO; run(action: () => Promise<unknown>): Promise<boolean> }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [name, setName] = useState(tag.name);
  const changed = name.trim() !== tag.name && name.trim().length > 0;

  async function rename(event: FormEvent) {
    event.preventDefault();
    if (changed) await run(() => workspace.tags.update(tag.id, { name: name.trim() }));
  }

  return (
    <li className="tags-settings-row">
      <TagChip tag={tag} />
      <form onSubmit={rename} className="tag-rename">
        <label>
          <span className="visually-hidden">{t('tagsSettings.nameOf', { name: tag.name })}</span>
          <input value={name} maxLength={TAG_LIMITS.name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" disabled={!changed}>
          {t('tagsSettings.rename')}
        </button>
      </form>
      <label>
        <span className="visually-hidden">{t('tagsSettings.colorOf', { name: tag.name })}</span>
        <select
          value={tag.color}
          style={TAG_SHADES[tag.color]}
          onChange={(e) =>
            void run(() => workspace.tags.update(tag.id, { color: e.target.value as TagColor }))
          }
        >
          {TAG_COLORS.map((color) => (
            <option key={color} value={color}>
              {t(`tagColors.${color}`)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="ghost"
        aria-label={t('tagsSettings.delete', { name: tag.name })}
        onClick={() => {
          if (window.confirm(t('tagsSettings.confirmDelete', { name: tag.name })))
            void run(() => workspace.tags.remove(tag));
        }}
      >
        {t('tagsSettings.deleteShort')}
      </button>
    </li>
  );
}
