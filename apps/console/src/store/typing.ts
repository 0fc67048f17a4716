/**
 * The operator's own typing, as visitors see it: announced when typing
 * starts and again every few seconds while it goes on (so a lost "typing"
 * expires on its own), withdrawn after a pause or when the reply is sent.
 */
const REFRESH_MS = 3000;
const IDLE_MS = 4000;

export class TypingAnnouncer {
  private readonly sentAt = new Map<string, number>();
  private readonly idle = new Map<string, ReturnType<typeof setTimeout>>();

  /** `announce` tells the server; it may drop the news when offline (typing is not worth a retry). */
  constructor(
    private readonly announce: (conversationId: string, typing: boolean) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** On each keystroke in a composer. */
  activity(conversationId: string): void {
    const now = this.now();
    if (now - (this.sentAt.get(conversationId) ?? 0) > REFRESH_MS) {
      this.sentAt.set(conversationId, now);
      this.announce(conversationId, true);
    }
    clearTimeout(this.idle.get(conversationId));
    this.idle.set(
      conversationId,
      setTimeout(() => this.stop(conversationId), IDLE_MS),
    );
  }

  /** Typing is over (sent, emptied, left the box): says so, if it had said "typing". */
  stop(conversationId: string): void {
    clearTimeout(this.idle.get(conversationId));
    this.idle.delete(conversationId);
    if (this.sentAt.delete(conversationId)) this.announce(conversationId, false);
  }

  /** Forgets the pending pauses, without a word (the workspace is going away). */
  dispose(): void {
    for (const timer of this.idle.values()) clearTimeout(timer);
    this.idle.clear();
  }
}
