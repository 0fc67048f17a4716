/**
 * Tells the server how far the operator has read the conversation on screen:
 * up to the visitor's last message (what the visitor is told of), while the
 * console's tab is visible. One frame per new seq (see `TagActions.markRead`),
 * so the operator's own replies cost none; coming back to the tab reports again.
 */
import type { ConversationDTO, MessageDTO } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useWorkspace } from '../shell/workspace-context';

function looking(): boolean {
  return document.visibilityState === 'visible';
}

export function useReportRead(
  conversation: ConversationDTO | undefined,
  messages: readonly MessageDTO[] | undefined,
): void {
  const workspace = useWorkspace();
  const [attention, setAttention] = useState(looking);
  useEffect(() => {
    const update = () => setAttention(looking());
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  const id = conversation?.id;
  const lastVisitorSeq = lastVisitorMessageSeq(messages ?? []);
  useEffect(() => {
    if (id && attention && lastVisitorSeq > 0) workspace.tags.markRead(id, lastVisitorSeq);
  }, [workspace, id, lastVisitorSeq, attention]);
}

function lastVisitorMessageSeq(messages: readonly MessageDTO[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.author.kind === 'visitor') return message.seq;
  }
  return 0;
}
