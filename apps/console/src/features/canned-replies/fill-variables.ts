/**
 * Fills a canned reply's variables: `{visitor.name}`, `{operator.name}`,
 * `{site.name}`, each with an optional fallback after `|` for when the value
 * is empty (`{visitor.name|there}`). An unknown variable stays as written, so
 * a typo shows in the composer before it is sent rather than vanishing.
 */

export const CANNED_VARIABLES = ['visitor.name', 'operator.name', 'site.name'] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];
export type CannedValues = Record<CannedVariable, string | null>;

const VARIABLE = /\{\s*([a-z]+\.[a-z]+)\s*(?:\|([^{}]*))?\}/g;

/**
 * @example fillVariables('Hi, {visitor.name|there}!', { 'visitor.name': null, … }) // 'Hi, there!'
 */
export function fillVariables(body: string, values: CannedValues): string {
  return body.replace(VARIABLE, (whole, name: string, fallback: string | undefined) => {
    if (!(CANNED_VARIABLES as readonly string[]).includes(name)) return whole;
    const value = values[name as CannedVariable]?.trim();
    return value ? value : (fallback ?? '');
  });
}

/**
 * The name a visitor gave, or null: a visitor who gave none is shown with a
 * label like `#3F9A1C`, which is not a name to greet anyone with.
 */
export function givenVisitorName(name: string | null | undefined): string | null {
  if (!name || /^#[0-9A-F]{6}$/i.test(name.trim())) return null;
  return name;
}
