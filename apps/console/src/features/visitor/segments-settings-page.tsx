/**
 * Settings › Segments, for owners and admins: per site, the saved segments (chip, edit, delete)
 * and the rule editor — a form of condition rows (field, comparison, value; counts and windows
 * where the field has them), all joined by AND, with a count of the visitors who match now.
 */
import {
  SEGMENT_COLORS,
  SEGMENT_CONDITION_KINDS,
  SEGMENT_LIMITS,
  type SegmentColor,
  type SegmentCondition,
  type SegmentConditionKind,
  type SegmentDTO,
  type SiteDTO,
  SOURCE_KINDS,
  UTM_PARAMS,
} from '@parley/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { withSiteSegments } from '../../store/segments';
import type { SettingsPageProps } from '../settings/sections';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { TAG_SHADES } from '../tags/tag-palette';
import { segmentsApi } from './dossier-api';
import { refusalOf, SegmentChips } from './dossier-parts';

export function SegmentsSettingsPage(_props: SettingsPageProps) {
  const { t } = useI18n();
  const sites = useInbox((s) => s.sites);
  return (
    <div className="settings-form segments-settings">
      <h2>{t('segments.title')}</h2>
      <p className="muted">{t('segments.intro')}</p>
      {sites.map((site) => (
        <SiteSegments key={site.id} site={site} showName={sites.length > 1} />
      ))}
    </div>
  );
}

function SiteSegments({ site, showName }: { site: SiteDTO; showName: boolean }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const segments = useInbox((s) => s.siteSegments[site.id]) ?? [];
  const [editing, setEditing] = useState<SegmentDTO | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const api = segmentsApi(workspace.http);
  const headingId = `segments-of-${site.id}`;

  const refresh = async () => {
    const { segments: fresh } = await api.list(site.id);
    workspace.store.update((s) => withSiteSegments(s, site.id, fresh));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: loaded once per site when the page opens
  useEffect(() => {
    refresh().catch((e) => setError(messageOf(e)));
  }, [site.id]);

  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{showName ? t('segments.siteTitle', { name: site.name }) : t('segments.title')}</h3>
      {segments.length === 0 && <p className="muted">{t('segments.empty')}</p>}
      <ul className="segments-list">
        {segments.map((segment) => (
          <li key={segment.id}>
            <SegmentChips segments={[segment]} />
            <button
              type="button"
              className="ghost"
              aria-label={t('segments.edit', { name: segment.name })}
              onClick={() => setEditing(segment)}
            >
              ✎
            </button>
            <button
              type="button"
              className="ghost"
              aria-label={t('segments.delete', { name: segment.name })}
              onClick={async () => {
                if (!window.confirm(t('segments.confirmDelete', { name: segment.name }))) return;
                try {
                  await api.remove(segment.id);
                  await refresh();
                } catch (e) {
                  setError(messageOf(e));
                }
              }}
            >
              🗑
            </button>
          </li>
        ))}
      </ul>
      {editing === null ? (
        <button type="button" onClick={() => setEditing('new')}>
          {t('segments.new')}
        </button>
      ) : (
        <SegmentForm
          key={editing === 'new' ? 'new' : editing.id}
          siteId={site.id}
          segment={editing === 'new' ? null : editing}
          onDone={async (saved) => {
            setEditing(null);
            if (saved) await refresh().catch((e) => setError(messageOf(e)));
          }}
        />
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** A condition row as the form holds it: every field a kind may need, as typed. */
interface Row {
  kind: SegmentConditionKind;
  key: string;
  op: 'equals' | 'contains' | 'prefix';
  value: string;
  atLeast: string;
  days: string;
}

const blankRow = (kind: SegmentConditionKind = 'pageViewed'): Row => ({
  kind,
  key: '',
  op: 'contains',
  value: kind === 'source' ? 'search' : '',
  atLeast: '1',
  days: '30',
});

function rowOf(condition: SegmentCondition): Row {
  const row = blankRow(condition.kind);
  switch (condition.kind) {
    case 'attribute':
      return { ...row, key: condition.key, op: condition.op, value: condition.value };
    case 'source':
      return { ...row, value: condition.value };
    case 'utm':
      return { ...row, key: condition.param, value: condition.value };
    case 'pageViewed':
      return {
        ...row,
        op: condition.match,
        value: condition.value,
        atLeast: String(condition.atLeast),
        days: String(condition.days),
      };
    case 'event':
      return {
        ...row,
        value: condition.name,
        atLeast: String(condition.atLeast),
        days: String(condition.days),
      };
    case 'noEvent':
      return { ...row, value: condition.name, days: String(condition.days) };
    case 'visitCount':
      return { ...row, atLeast: String(condition.atLeast) };
    case 'country':
      return { ...row, value: condition.value };
    default:
      return row;
  }
}

/** The typed condition of a row; the server checks it again and says what is wrong. */
function conditionOf(row: Row): SegmentCondition {
  const atLeast = Number(row.atLeast);
  const days = Number(row.days);
  switch (row.kind) {
    case 'attribute':
      return {
        kind: 'attribute',
        key: row.key,
        op: row.op === 'equals' ? 'equals' : 'contains',
        value: row.value,
      };
    case 'source':
      return { kind: 'source', value: row.value as (typeof SOURCE_KINDS)[number] };
    case 'utm':
      return { kind: 'utm', param: (row.key || 'source') as 'source', value: row.value };
    case 'pageViewed':
      return {
        kind: 'pageViewed',
        match: row.op === 'prefix' ? 'prefix' : 'contains',
        value: row.value,
        atLeast,
        days,
      };
    case 'event':
      return { kind: 'event', name: row.value, atLeast, days };
    case 'noEvent':
      return { kind: 'noEvent', name: row.value, days };
    case 'visitCount':
      return { kind: 'visitCount', atLeast };
    case 'country':
      return { kind: 'country', value: row.value };
    case 'hasEmail':
      return { kind: 'hasEmail' };
  }
}

function SegmentForm({
  siteId,
  segment,
  onDone,
}: {
  siteId: string;
  segment: SegmentDTO | null;
  onDone(saved: boolean): void;
}) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [name, setName] = useState(segment?.name ?? '');
  const [color, setColor] = useState<SegmentColor>(segment?.color ?? 'blue');
  const [rows, setRows] = useState<Row[]>(() => (segment ? segment.conditions.map(rowOf) : [blankRow()]));
  const [preview, setPreview] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const api = segmentsApi(workspace.http);
  const update = (i: number, change: Partial<Row>) => {
    setPreview(null);
    setRows(rows.map((row, j) => (j === i ? { ...row, ...change } : row)));
  };

  async function count() {
    try {
      setError(null);
      setPreview((await api.preview(siteId, rows.map(conditionOf))).count);
    } catch (e) {
      setError(refusalOf(e));
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      setError(null);
      const body = { name: name.trim(), color, conditions: rows.map(conditionOf) };
      if (segment) await api.update(segment.id, body);
      else await api.create(siteId, body);
      onDone(true);
    } catch (e) {
      setError(refusalOf(e));
    }
  }

  return (
    <form className="segment-form" onSubmit={save} aria-labelledby={`segment-form-${siteId}`}>
      <h4 id={`segment-form-${siteId}`}>{segment ? t('segments.editTitle') : t('segments.new')}</h4>
      <div className="segment-form-head">
        <label>
          {t('segments.name')}
          <input
            value={name}
            maxLength={SEGMENT_LIMITS.name}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </label>
        <label>
          {t('segments.color')}
          <select
            value={color}
            style={TAG_SHADES[color]}
            onChange={(e) => setColor(e.target.value as SegmentColor)}
          >
            {SEGMENT_COLORS.map((c) => (
              <option key={c} value={c}>
                {t(`tagColors.${c}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset>
        <legend>{t('segments.conditions')}</legend>
        <ol className="condition-rows">
          {rows.map((row, i) => (
            <ConditionRow
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
              key={i}
              n={i + 1}
              row={row}
              onChange={(change) => update(i, change)}
              onRemove={
                rows.length > 1
                  ? () => {
                      setPreview(null);
                      setRows(rows.filter((_, j) => j !== i));
                    }
                  : undefined
              }
            />
          ))}
        </ol>
        {rows.length < SEGMENT_LIMITS.conditions && (
          <button type="button" className="ghost" onClick={() => setRows([...rows, blankRow('utm')])}>
            + {t('segments.addCondition')}
          </button>
        )}
      </fieldset>
      <div className="segment-form-actions">
        <button type="button" className="ghost" onClick={() => void count()}>
          {t('segments.preview')}
        </button>
        <button type="submit">{segment ? t('segments.save') : t('segments.create')}</button>
        <button type="button" className="ghost" onClick={() => onDone(false)}>
          {t('segments.cancel')}
        </button>
      </div>
      <p role="status" className="small">
        {preview === null ? '' : t('segments.previewCount', { count: preview })}
      </p>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function ConditionRow({
  n,
  row,
  onChange,
  onRemove,
}: {
  n: number;
  row: Row;
  onChange(change: Partial<Row>): void;
  onRemove?: () => void;
}) {
  const { t } = useI18n();
  const valueInput = (placeholder?: string) => (
    <input
      aria-label={t('segments.valueOf', { n })}
      value={row.value}
      placeholder={placeholder}
      maxLength={SEGMENT_LIMITS.value}
      onChange={(e) => onChange({ value: e.target.value })}
    />
  );
  const numberInput = (field: 'atLeast' | 'days', label: string, max: number) => (
    <input
      type="number"
      min={1}
      max={max}
      className="narrow"
      aria-label={label}
      value={row[field]}
      onChange={(e) => onChange({ [field]: e.target.value })}
    />
  );
  const withinDays = (
    <>
      {numberInput('days', t('segments.daysOf', { n }), SEGMENT_LIMITS.days)}{' '}
      <span>{t('segments.days')}</span>
    </>
  );
  const times = (
    <>
      <span>{t('segments.atLeast')}</span>{' '}
      {numberInput('atLeast', t('segments.countOf', { n }), SEGMENT_LIMITS.count)}{' '}
    </>
  );
  return (
    <li className="condition-row">
      <select
        aria-label={t('segments.kindOf', { n })}
        value={row.kind}
        onChange={(e) => onChange(blankRow(e.target.value as SegmentConditionKind))}
      >
        {SEGMENT_CONDITION_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {t(`segments.kind.${kind}`)}
          </option>
        ))}
      </select>
      {row.kind === 'attribute' && (
        <>
          <input
            aria-label={t('segments.keyOf', { n })}
            value={row.key}
            maxLength={SEGMENT_LIMITS.attributeKey}
            onChange={(e) => onChange({ key: e.target.value })}
          />
          <select
            aria-label={t('segments.opOf', { n })}
            value={row.op}
            onChange={(e) => onChange({ op: e.target.value as Row['op'] })}
          >
            <option value="equals">{t('segments.op.equals')}</option>
            <option value="contains">{t('segments.op.contains')}</option>
          </select>
          {valueInput()}
        </>
      )}
      {row.kind === 'source' && (
        <select
          aria-label={t('segments.valueOf', { n })}
          value={row.value}
          onChange={(e) => onChange({ value: e.target.value })}
        >
          {SOURCE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`dossier.sourceKind.${kind}`)}
            </option>
          ))}
        </select>
      )}
      {row.kind === 'utm' && (
        <>
          <select
            aria-label={t('segments.keyOf', { n })}
            value={row.key || 'source'}
            onChange={(e) => onChange({ key: e.target.value })}
          >
            {UTM_PARAMS.map((param) => (
              <option key={param} value={param}>
                utm_{param}
              </option>
            ))}
          </select>
          <span>{t('segments.op.equals')}</span>
          {valueInput()}
        </>
      )}
      {row.kind === 'pageViewed' && (
        <>
          <select
            aria-label={t('segments.opOf', { n })}
            value={row.op}
            onChange={(e) => onChange({ op: e.target.value as Row['op'] })}
          >
            <option value="contains">{t('segments.op.contains')}</option>
            <option value="prefix">{t('segments.op.prefix')}</option>
          </select>
          {valueInput('/catalog/shoes')}
          {times}
          <span>{t('segments.times')}</span> {withinDays}
        </>
      )}
      {row.kind === 'event' && (
        <>
          {valueInput(t('segments.eventName'))}
          {times}
          <span>{t('segments.times')}</span> {withinDays}
        </>
      )}
      {row.kind === 'noEvent' && (
        <>
          {valueInput(t('segments.eventName'))}
          {withinDays}
        </>
      )}
      {row.kind === 'visitCount' && times}
      {row.kind === 'country' && valueInput('AM')}
      {onRemove && (
        <button
          type="button"
          className="ghost"
          aria-label={t('segments.removeCondition', { n })}
          onClick={onRemove}
        >
          ×
        </button>
      )}
    </li>
  );
}
