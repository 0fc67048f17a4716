import { describe, expect, it } from 'vitest';
import { mentionedIn } from './mentioned.js';

const team = [
  { id: 'ann', displayName: 'Ann' },
  { id: 'ann-lee', displayName: 'Ann Lee' },
  { id: 'boris', displayName: 'Борис' },
  { id: 'aram', displayName: 'Արամ' },
];

describe('mentionedIn', () => {
  it('finds names after @ in any script and case, each once', () => {
    expect(mentionedIn('@борис глянь, и @БОРИС ещё раз; @Արամ', team)).toEqual(['boris', 'aram']);
  });

  it('prefers the longer name and needs the name to end there', () => {
    expect(mentionedIn('@Ann Lee, please', team)).toEqual(['ann-lee']);
    expect(mentionedIn('@Ann, please', team)).toEqual(['ann']);
    expect(mentionedIn('@Annabel is not on the team', team)).toEqual([]);
  });

  it('ignores names without @ and a lone @', () => {
    expect(mentionedIn('ask Ann or write to sales@ shop', team)).toEqual([]);
  });
});
