/**
 * The IPC contract between the message-path benchmark (`message-path.ts`) and
 * its load workers (`load-worker.ts`), plus the clock both sides stamp with.
 *
 * Timestamps are `process.hrtime` readings (CLOCK_MONOTONIC on Linux): one
 * clock for every process on the machine, so a send stamped in one worker and
 * a receipt stamped in another compare directly.
 */

/** Milliseconds on the machine-wide monotonic clock, with sub-millisecond precision. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export type ToWorker =
  | {
      type: 'connect';
      workerIndex: number;
      /** ws://127.0.0.1:PORT */
      wsBase: string;
      visitorTokens: string[];
      operatorCount: number;
      /** Headers of the operator upgrade (the session cookie). */
      operatorHeaders: Record<string, string>;
    }
  /** 'rate': random visitors for durationMs; 'once': every visitor of this worker exactly once (warm-up). */
  | { type: 'run'; phase: number; mode: 'rate' | 'once'; ratePerSec: number; durationMs: number }
  | { type: 'progress' }
  | { type: 'collect'; phase: number }
  | { type: 'close' };

/** One sent message: client id, send time, ack time (-1: no ack yet). */
export type SendRecord = [clientId: string, sentAt: number, ackAt: number];
/** One message as seen by this worker's operators: client id, first receipt, receipts (over all operators here). */
export type ReceiptRecord = [clientId: string, firstAt: number, count: number];

export type FromWorker =
  | { type: 'connected'; visitors: number; operators: number; failures: number; firstError: string | null }
  | { type: 'ran'; phase: number; sent: number; skipped: number }
  | { type: 'progress'; sent: number; acked: number; errors: number; receipts: number }
  | {
      type: 'collected';
      phase: number;
      sends: SendRecord[];
      receipts: ReceiptRecord[];
      /** A message received twice by the same operator socket. */
      duplicates: number;
      errors: number;
      firstError: string | null;
      /** Sockets that closed during the phase. */
      closedSockets: number;
    }
  | { type: 'closed' }
  | { type: 'fatal'; message: string };

/** The message.created frame starts like this on both Parley and the relay (JSON.stringify keeps key order). */
export const MESSAGE_CREATED_PREFIX = '{"type":"message.created"';
export const ACK_PREFIX = '{"type":"ack","ref":"';
export const ERROR_PREFIX = '{"type":"error"';

/** The value of `"key":"…"` in a JSON text, without parsing it; null when absent. Values here never hold escapes. */
export function stringField(json: string, key: string): string | null {
  const marker = `"${key}":"`;
  const start = json.indexOf(marker);
  if (start < 0) return null;
  const end = json.indexOf('"', start + marker.length);
  return end < 0 ? null : json.slice(start + marker.length, end);
}
