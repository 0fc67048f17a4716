/** A conversation's tags on its row in the list (the first few). */
import { useMemo } from 'react';
import { useInbox } from '../shell/workspace-context';
import { TagChip } from './tag-chip';

const SHOWN = 3;

export function RowTags({ siteId, tagIds }: { siteId: string; tagIds: readonly string[] | undefined }) {
  const siteTags = useInbox((s) => s.siteTags[siteId]);
  const tags = useMemo(
    () => (tagIds ?? []).map((id) => siteTags?.find((t) => t.id === id)).filter((t) => t !== undefined),
    [tagIds, siteTags],
  );
  if (tags.length === 0) return null;
  return (
    <span className="row-tags">
      {tags.slice(0, SHOWN).map((tag) => (
        <TagChip key={tag.id} tag={tag} />
      ))}
      {tags.length > SHOWN && <span className="row-tags-more">+{tags.length - SHOWN}</span>}
    </span>
  );
}
