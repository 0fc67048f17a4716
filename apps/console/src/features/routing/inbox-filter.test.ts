import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../store/test-factories';
import { matchesFilter } from './inbox-filter';

describe('inbox routing filter', () => {
  const mine = buildConversation({ id: 'a', assigneeId: 'me' });
  const invited = buildConversation({ id: 'b', assigneeId: 'boris', participantIds: ['me'] });
  const nobodys = buildConversation({ id: 'c', assigneeId: null, departmentId: 'sales' });
  const all = [mine, invited, nobodys];
  const ids = (filter: Parameters<typeof matchesFilter>[1]) =>
    all.filter((c) => matchesFilter(c, filter, 'me')).map((c) => c.id);

  it('narrows to mine (assigned or invited), unassigned, a colleague’s and a department’s', () => {
    expect(ids('all')).toEqual(['a', 'b', 'c']);
    expect(ids('mine')).toEqual(['a', 'b']);
    expect(ids('unassigned')).toEqual(['c']);
    expect(ids('operator:boris')).toEqual(['b']);
    expect(ids('department:sales')).toEqual(['c']);
  });
});
