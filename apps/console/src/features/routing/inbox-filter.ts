/**
 * The inbox's routing filter: all, mine (assigned or invited in), unassigned,
 * one colleague's, one department's. It narrows the rows the list has
 * loaded; the same filters exist on the server's list for API callers
 * (`assignee`, `departmentId`).
 */
import type { ConversationDTO } from '@parley/protocol';

export type InboxFilter = 'all' | 'mine' | 'unassigned' | `operator:${string}` | `department:${string}`;

export function matchesFilter(
  conversation: ConversationDTO | undefined,
  filter: InboxFilter,
  me: string,
): boolean {
  if (!conversation) return false;
  if (filter === 'all') return true;
  const involves = (id: string) => conversation.assigneeId === id || conversation.participantIds.includes(id);
  if (filter === 'mine') return involves(me);
  if (filter === 'unassigned') return conversation.assigneeId === null;
  if (filter.startsWith('operator:')) return involves(filter.slice('operator:'.length));
  return conversation.departmentId === filter.slice('department:'.length);
}
