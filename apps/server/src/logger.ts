/** Structured logs (pino), JSON to stdout; one logger per process, children per request or socket. */
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string, nodeId: string): Logger {
  return pino({ level, base: { node: nodeId } });
}
