/**
 * Tells the server how far the operator has read the conversation on screen:
 * its last seq, while the console's tab is visible. One frame per
 * new seq (see `TagActions.markRead`); coming back to the tab reports again.
 */
import type { ConversationDTO } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useWorkspace } from '../shell/workspace-context';

function looking(): boolean {
  return document.visibilityState === 'visible';
}

export function useReportRead(conversation: ConversationDTO | undefined, loaded: boolean): void {
  const workspace = useWorkspace();
  const [attention, setAttention] = useState(looking);
  useEffect(() => {
    const update = () => setAttention(looking());
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  const id = conversation?.id;
  const lastSeq = conversation?.lastSeq ?? 0;
  useEffect(() => {
    if (id && loaded && attention && lastSeq > 0) workspace.tags.markRead(id, lastSeq);
  }, [workspace, id, lastSeq, loaded, attention]);
}
