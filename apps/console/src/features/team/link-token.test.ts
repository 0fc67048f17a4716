import { describe, expect, it } from 'vitest';
import { teamLinkToken } from './link-token';

describe('teamLinkToken', () => {
  it('reads the token from the fragment of the join and reset pages only', () => {
    expect(teamLinkToken({ pathname: '/console/join', hash: '#abc_DEF-123' })).toBe('abc_DEF-123');
    expect(teamLinkToken({ pathname: '/console/reset-password/', hash: '#tok' })).toBe('tok');
    expect(teamLinkToken({ pathname: '/console/', hash: '#tok' })).toBeNull();
    expect(teamLinkToken({ pathname: '/console/settings/team', hash: '' })).toBeNull();
  });

  it('answers an empty token (shown as an invalid link) for the page opened without one', () => {
    expect(teamLinkToken({ pathname: '/console/join', hash: '' })).toBe('');
  });
});
