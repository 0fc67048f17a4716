/**
 * The Russian ЙЦУКЕН and the English QWERTY layouts, key by key, written
 * once: an operator who types `/price` with the Russian layout on gets
 * `/зкшсу`, and `/цена` with the English one gets `/wtyf`. The canned-reply
 * filter tries the query as typed and as if typed in the other layout.
 */

const EN = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./";
const RU = 'ёйцукенгшщзхъфывапролджэячсмитьбю.';

const enToRu = new Map<string, string>();
const ruToEn = new Map<string, string>();
for (let i = 0; i < EN.length; i++) {
  const en = EN.charAt(i);
  const ru = RU.charAt(i);
  enToRu.set(en, ru);
  // `.` is on both layouts (a different key): keep it as typed rather than map it back to `/`.
  if (!ruToEn.has(ru) && ru !== '.') ruToEn.set(ru, en);
}

const convert = (text: string, map: Map<string, string>) =>
  Array.from(text.toLowerCase(), (c) => map.get(c) ?? c).join('');

/**
 * The text as if typed with the other layout: English keys become Russian
 * letters and Russian letters English keys; anything else stays.
 *
 * @example switchLayout('ghbdtn') // 'привет'
 * @example switchLayout('зкшсу') // 'price'
 */
export function switchLayout(text: string): string {
  const lower = text.toLowerCase();
  const russian = Array.from(lower).some((c) => ruToEn.has(c));
  return convert(lower, russian ? ruToEn : enToRu);
}

/** The query as typed and as if typed in the other layout, lowercased, without repeats. */
export function layoutVariants(query: string): string[] {
  const lower = query.toLowerCase();
  const other = switchLayout(lower);
  return other === lower ? [lower] : [lower, other];
}
