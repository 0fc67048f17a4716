/**
 * Who a note names: `@` followed by a colleague's display name, as the
 * console's autocomplete inserts it (`@Anna Petrova, can you check?`). Read
 * from the text itself, so a note written over HTTP or edited by hand
 * mentions the same people, and a client cannot notify anyone its text does
 * not name.
 */

export interface Colleague {
  id: string;
  displayName: string;
}

/** A letter or digit in any script: what may not follow a name for it to end there. */
const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/**
 * The colleagues `text` mentions, each once, in the order of `colleagues`.
 * Names compare case-insensitively; a longer name wins where two start alike
 * (`@Ann Lee` is Ann Lee, not Ann).
 *
 * @example mentionedIn('@anna see this', [{ id: '1', displayName: 'Anna' }]) // ['1']
 */
export function mentionedIn(text: string, colleagues: readonly Colleague[]): string[] {
  const lower = text.toLocaleLowerCase();
  const byLength = [...colleagues].sort((a, b) => b.displayName.length - a.displayName.length);
  const found = new Set<string>();
  for (let at = lower.indexOf('@'); at !== -1; at = lower.indexOf('@', at + 1)) {
    for (const colleague of byLength) {
      const name = colleague.displayName.toLocaleLowerCase();
      if (!name || !lower.startsWith(name, at + 1)) continue;
      const next = lower.charAt(at + 1 + name.length);
      if (next && WORD_CHARACTER.test(next)) continue;
      found.add(colleague.id);
      break;
    }
  }
  return colleagues.filter((c) => found.has(c.id)).map((c) => c.id);
}
