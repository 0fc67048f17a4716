/**
 * What the composer's text asks for at the caret: `/pri` opens the canned
 * replies (filtered by `pri`), `@an` in a note the colleagues (by `an`). A
 * trigger is a word that starts with `/` or `@` at the start of the text or
 * after a space or line break, and runs to the caret; `and/or` or
 * `sales@shop.example` trigger nothing.
 */

export type TriggerKind = 'canned' | 'mention';

export interface Trigger {
  kind: TriggerKind;
  /** What follows the `/` or `@`, up to the caret. */
  query: string;
  /** Where the word starts (its `/` or `@`) and ends (the caret): what a choice replaces. */
  start: number;
  end: number;
}

/**
 * @example triggerAt('Hi /pri', 7, false) // { kind: 'canned', query: 'pri', start: 3, end: 7 }
 */
export function triggerAt(text: string, caret: number, mentions: boolean): Trigger | null {
  let start = caret;
  while (start > 0 && !/\s/.test(text.charAt(start - 1))) start--;
  const word = text.slice(start, caret);
  const kind = word.startsWith('/') ? 'canned' : mentions && word.startsWith('@') ? 'mention' : null;
  if (!kind) return null;
  return { kind, query: word.slice(1), start, end: caret };
}

/** The text with the trigger's word replaced, and where the caret goes after it. */
export function replaceTrigger(
  text: string,
  trigger: Trigger,
  insert: string,
): { text: string; caret: number } {
  return {
    text: text.slice(0, trigger.start) + insert + text.slice(trigger.end),
    caret: trigger.start + insert.length,
  };
}
