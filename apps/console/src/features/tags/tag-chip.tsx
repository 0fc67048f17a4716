/** A tag as a small coloured label, optionally with a button that takes it off. */
import type { TagDTO } from '@parley/protocol';
import { useI18n } from '../../i18n/i18n';
import { TAG_SHADES } from './tag-palette';

export function TagChip({ tag, onRemove, reason }: { tag: TagDTO; onRemove?: () => void; reason?: boolean }) {
  const { t } = useI18n();
  return (
    <span className="tag-chip" style={TAG_SHADES[tag.color]}>
      {reason && <span className="tag-chip-reason">{t('tags.reasonPrefix')}</span>}
      {tag.name}
      {onRemove && (
        <button
          type="button"
          className="tag-chip-remove"
          aria-label={t('tags.remove', { name: tag.name })}
          onClick={onRemove}
        >
          ×
        </button>
      )}
    </span>
  );
}
