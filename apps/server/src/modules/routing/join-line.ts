/**
 * The neutral line a visitor sees when an operator joins their chat
 * (a transfer, an invitation, a take-over), in the visitor's language. It is
 * a system message authored by the operator, so it carries their name and
 * photo; it says nothing about why (no "transferred", no notes).
 */
const JOINED: Record<'en' | 'ru' | 'hy', (name: string) => string> = {
  en: (name) => `${name} joined the chat`,
  ru: (name) => `${name} присоединился(-ась) к чату`,
  hy: (name) => `${name}-ը միացավ զրույցին`,
};

export function joinedLine(operatorName: string, visitorLanguage: string | null): string {
  const language = (visitorLanguage ?? 'en').slice(0, 2).toLowerCase();
  const line = language === 'ru' || language === 'hy' ? JOINED[language] : JOINED.en;
  return line(operatorName);
}
