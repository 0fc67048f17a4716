/**
 * The visitor's typing signal, throttled: at most one `typing.set` per 1.5 s
 * while typing (with the draft so far, the operator's sneak peek, and a
 * trailing update so the last draft is seen), and `typing: false` after 4 s
 * of silence, on send, or when the box is emptied.
 */
import { LIMITS } from '@parley/protocol';

const THROTTLE_MS = 1500;
const IDLE_MS = 4000;

export class TypingSignal {
  private typing = false;
  private lastSent = 0;
  private trailing: ReturnType<typeof setTimeout> | undefined;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly send: (typing: boolean, preview?: string) => void) {}

  input(draft: string): void {
    if (!draft.trim()) {
      this.stop();
      return;
    }
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), IDLE_MS);
    const wait = this.lastSent + THROTTLE_MS - Date.now();
    clearTimeout(this.trailing);
    if (!this.typing || wait <= 0) this.emit(draft);
    else this.trailing = setTimeout(() => this.emit(draft), wait);
  }

  stop(): void {
    clearTimeout(this.trailing);
    clearTimeout(this.idle);
    if (!this.typing) return;
    this.typing = false;
    this.send(false);
  }

  private emit(draft: string): void {
    this.typing = true;
    this.lastSent = Date.now();
    this.send(true, draft.slice(0, LIMITS.typingPreview));
  }
}
