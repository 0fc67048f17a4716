/**
 * Opens a conversation at one of its messages: selects it, waits for its latest messages, fetches
 * earlier pages until the message is among them, and marks it (see focus.ts).
 */
import type { Workspace } from '../../store/workspace';
import { focusedMessage } from './focus';

/** Earlier pages fetched at most (200 messages each) before giving up on an ancient message. */
const MAX_PAGES = 50;

export async function openAt(workspace: Workspace, conversationId: string, seq: number): Promise<void> {
  focusedMessage.update(() => null);
  workspace.select(conversationId);
  await threadLoaded(workspace, conversationId);
  for (let page = 0; page < MAX_PAGES; page++) {
    const thread = workspace.store.get().threads[conversationId];
    const first = thread?.messages[0];
    if (!thread || !first || first.seq <= seq || !thread.hasEarlier) break;
    await workspace.loadEarlier(conversationId);
  }
  if (workspace.store.get().selectedId === conversationId)
    focusedMessage.update(() => ({ conversationId, seq }));
}

function threadLoaded(workspace: Workspace, conversationId: string): Promise<void> {
  const ready = () => {
    const thread = workspace.store.get().threads[conversationId];
    return Boolean(thread && !thread.loading && (thread.messages.length > 0 || thread.error));
  };
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = workspace.store.subscribe(() => {
      if (!ready()) return;
      stop();
      resolve();
    });
  });
}
