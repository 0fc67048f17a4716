/**
 * Pieces both the card and the full profile show: a visit's source (kind, name, UTM, search
 * query, referrer), the location with DB-IP's credit, segment chips, durations, and the dossier
 * loaded for a visitor.
 */
import { safeHttpUrl } from '@parley/client';
import type { SegmentDTO, TouchDTO, VisitorDossier, VisitorProfileDTO } from '@parley/protocol';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/http-client';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useWorkspace } from '../shell/workspace-context';
import { TAG_SHADES } from '../tags/tag-palette';
import { dossierApi } from './dossier-api';

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** An address as a safe outside link (http/https only), else as text. */
export function ExternalLink({ url, text }: { url: string; text?: string | null }) {
  const href = safeHttpUrl(url);
  if (!href) return <>{text || url}</>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" title={url}>
      {text || url}
    </a>
  );
}

const UTM_ORDER = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/** "Search · Yandex", then UTM, search query and referrer, each on its own line of the list. */
export function SourceFields({ touch, label }: { touch: TouchDTO | null; label?: string }) {
  const { t } = useI18n();
  if (!touch) return null;
  // In the order people write them (JSON objects from the database come in any order).
  const utm = UTM_ORDER.filter((key) => touch.utm?.[key])
    .map((key) => `utm_${key}=${touch.utm?.[key]}`)
    .join(', ');
  return (
    <>
      <Field label={label ?? t('dossier.source')}>
        {[t(`dossier.sourceKind.${touch.kind}`), touch.name].filter(Boolean).join(' · ')}
      </Field>
      {utm && <Field label={t('dossier.utm')}>{utm}</Field>}
      {touch.searchQuery && <Field label={t('dossier.searchQuery')}>«{touch.searchQuery}»</Field>}
      {touch.referrer && (
        <Field label={t('dossier.referrer')}>
          <ExternalLink url={touch.referrer} />
        </Field>
      )}
    </>
  );
}

/** "Yerevan, Yerevan, Armenia" with DB-IP's credit (CC BY 4.0: the credit sits where its data is shown). */
export function LocationField({
  visitor,
}: {
  visitor: Pick<VisitorProfileDTO, 'city' | 'region' | 'country'>;
}) {
  const { t, language } = useI18n();
  const country = visitor.country ? regionName(language, visitor.country) : null;
  const parts = [visitor.city, visitor.region !== visitor.city ? visitor.region : null, country].filter(
    Boolean,
  );
  return (
    <Field label={t('dossier.location')}>
      {parts.length > 0 ? parts.join(', ') : <span className="muted">{t('visitor.unknown')}</span>}
      <small className="muted attribution">
        {' '}
        <a href="https://db-ip.com" target="_blank" rel="noopener noreferrer">
          {t('visitor.countrySource')}
        </a>
      </small>
    </Field>
  );
}

function regionName(language: string, code: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function SegmentChips({ segments }: { segments: SegmentDTO[] }) {
  const { t } = useI18n();
  if (segments.length === 0) return <span className="muted">{t('dossier.noSegments')}</span>;
  return (
    <ul className="segment-chips">
      {segments.map((segment) => (
        <li key={segment.id} className="tag-chip" style={TAG_SHADES[segment.color]}>
          {segment.name}
        </li>
      ))}
    </ul>
  );
}

/** 95 → "1:35", 3700 → "1:01:40". */
export function formatSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * The dossier of `visitorId`, fetched when it changes and again when `refreshKey` does (a segment
 * saved in settings, the visitor edited). `reload` fetches again now.
 */
export function useDossier(visitorId: string | null | undefined, refreshKey?: unknown) {
  const workspace = useWorkspace();
  const [dossier, setDossier] = useState<VisitorDossier | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey and version are triggers, not inputs
  useEffect(() => {
    if (!visitorId) return;
    let current = true;
    dossierApi(workspace.http)
      .get(visitorId)
      .then(
        (loaded) => {
          if (!current) return;
          setDossier(loaded);
          setError(null);
        },
        (e) => current && setError(messageOf(e)),
      );
    return () => {
      current = false;
    };
  }, [workspace, visitorId, refreshKey, version]);
  return { dossier: dossier?.visitor.id === visitorId ? dossier : null, error, reload, setDossier };
}

/** The server's refusal with the fields it named ("A phone number has digits…"), for forms. */
export function refusalOf(error: unknown): string {
  if (error instanceof ApiError && error.issues.length > 0)
    return error.issues.map((issue) => issue.message).join('; ');
  return messageOf(error);
}

/** Two touch points from the same source (the time aside): shown once. */
export const sameTouch = (a: TouchDTO | null, b: TouchDTO | null) =>
  JSON.stringify({ ...a, at: null }) === JSON.stringify({ ...b, at: null });
