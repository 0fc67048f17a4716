/**
 * The colleagues a note can mention: the operators of the conversation's
 * site but oneself, from the presence the console already has, else asked
 * for once.
 */
import type { PublicOperatorDTO } from '@parley/protocol';
import { useEffect, useState } from 'react';
import type { Workspace } from '../../store/workspace';
import { layoutVariants } from '../canned-replies/keyboard-layout';
import { useInbox } from '../shell/workspace-context';

export function useColleagues(
  workspace: Workspace,
  siteId: string | null,
  wanted: boolean,
): PublicOperatorDTO[] {
  const ownId = useInbox((s) => s.operator.id);
  const presence = useInbox((s) => (siteId ? s.presence[siteId] : undefined));
  const [fetched, setFetched] = useState<PublicOperatorDTO[] | null>(null);
  useEffect(() => {
    if (!wanted || !siteId || presence || fetched) return;
    workspace.http.presence(siteId).then(
      ({ operators }) => setFetched(operators),
      () => setFetched([]),
    );
  }, [wanted, siteId, presence, fetched, workspace]);
  return (presence ?? fetched ?? []).filter((o) => o.id !== ownId);
}

/** Colleagues whose name, or a word of it, starts with the query (in either keyboard layout). */
export function matchColleagues(
  colleagues: readonly PublicOperatorDTO[],
  query: string,
): PublicOperatorDTO[] {
  const variants = layoutVariants(query);
  return colleagues.filter((c) => {
    const name = c.displayName.toLowerCase();
    const words = [name, ...name.split(/\s+/)];
    return variants.some((v) => words.some((w) => w.startsWith(v)));
  });
}
