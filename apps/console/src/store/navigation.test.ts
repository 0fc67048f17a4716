/** Moving through the list by keyboard, and the selection. */
import { describe, expect, it } from 'vitest';
import { neighbourOf, withSelection } from './navigation';
import { at, buildConversation, buildState } from './test-factories';

// The Open list reads top to bottom: b, c, a (newest activity first); d is closed.
const state = buildState([
  buildConversation({ id: 'a', lastActivityAt: at(1) }),
  buildConversation({ id: 'b', lastActivityAt: at(3) }),
  buildConversation({ id: 'c', lastActivityAt: at(2) }),
  buildConversation({ id: 'd', lastActivityAt: at(4), status: 'closed' }),
]);

describe('navigation', () => {
  it('moves down and up the current list in its order, stopping at either end', () => {
    expect(neighbourOf(withSelection(state, 'b'), 1)).toBe('c');
    expect(neighbourOf(withSelection(state, 'c'), 1)).toBe('a');
    expect(neighbourOf(withSelection(state, 'a'), 1)).toBe('a');
    expect(neighbourOf(withSelection(state, 'c'), -1)).toBe('b');
    expect(neighbourOf(withSelection(state, 'b'), -1)).toBe('b');
  });

  it('starts at the top going down and at the bottom going up, and finds nothing in an empty list', () => {
    expect(neighbourOf(state, 1)).toBe('b');
    expect(neighbourOf(state, -1)).toBe('a');
    // The selected conversation is in another tab: as if nothing were selected.
    expect(neighbourOf(withSelection(state, 'd'), 1)).toBe('b');
    expect(neighbourOf({ ...state, tab: 'requests' }, 1)).toBeNull();
  });

  it('keeps the state when the selection does not change', () => {
    const selected = withSelection(state, 'a');
    expect(selected.selectedId).toBe('a');
    expect(withSelection(selected, 'a')).toBe(selected);
  });
});
