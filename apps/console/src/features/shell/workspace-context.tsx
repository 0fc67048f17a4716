/** Gives components the workspace and a selector hook over its store. */
import { createContext, useContext } from 'react';
import type { InboxState } from '../../store/inbox-state';
import { useStore } from '../../store/store';
import type { Workspace } from '../../store/workspace';

export const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace outside WorkspaceContext');
  return workspace;
}

/** Reads part of the inbox state; re-renders only when that part changes. */
export function useInbox<T>(select: (state: InboxState) => T): T {
  return useStore(useWorkspace().store, select);
}
