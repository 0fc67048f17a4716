/** "Anna is typing…" with what she has typed so far (the sneak peek); hidden when the events go stale. */
import { useI18n } from '../../i18n/i18n';
import { useNow } from '../../lib/use-now';
import type { VisitorTyping } from '../../store/inbox-state';

/** Widgets refresh typing every few seconds; silence longer than this means they stopped. */
const STALE_MS = 12_000;

export function TypingIndicator({ name, typing }: { name: string; typing: VisitorTyping }) {
  const { t } = useI18n();
  const now = useNow();
  if (now - typing.at > STALE_MS) return null;
  return (
    <div className="typing" role="status">
      <span className="typing-label">{t('conversation.typing', { name })}</span>
      {typing.preview && <span className="typing-preview">{typing.preview}</span>}
    </div>
  );
}
