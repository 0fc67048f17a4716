/**
 * The reply chime: a soft two-note tone generated with Web Audio (no audio
 * file to download). Played only when an operator's reply arrives.
 * Browsers start an AudioContext only after a gesture in this frame, so the
 * context is created (or resumed) on the visitor's first key or tap here.
 */

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    return context;
  } catch {
    return null;
  }
}

/** Prepares audio on the visitor's first interaction with the chat. */
export function unlockSoundOnGesture(): void {
  const unlock = () => {
    audio();
    removeEventListener('pointerdown', unlock, true);
    removeEventListener('keydown', unlock, true);
  };
  addEventListener('pointerdown', unlock, true);
  addEventListener('keydown', unlock, true);
}

export function playReplyChime(): void {
  const ctx = audio();
  if (!ctx) return;
  try {
    const now = ctx.currentTime;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.08, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.35);
    gain.connect(ctx.destination);
    const tone = ctx.createOscillator();
    tone.type = 'sine';
    tone.frequency.setValueAtTime(880, now);
    tone.frequency.setValueAtTime(660, now + 0.12);
    tone.connect(gain);
    tone.start(now);
    tone.stop(now + 0.36);
  } catch {
    // A missing chime is not worth an error.
  }
}
