/**
 * The only reader of the process environment. Every setting Parley has is
 * declared, documented and validated here; the rest of the code receives a
 * typed `Env` object. README.md lists the same variables for operators.
 */
import { z } from 'zod';

const envSchema = z.object({
  /** Port for HTTP and WebSocket. 0 picks a free one (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address to bind. */
  HOST: z.string().default('127.0.0.1'),
  /** The URL people reach this server at; defaults to http://HOST:PORT. Used in printed links and the snippet. */
  PUBLIC_URL: z.string().url().optional(),
  /** A PostgreSQL connection string. Without it Parley runs its own PostgreSQL under DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  /** Where the embedded PostgreSQL keeps its files. */
  DATA_DIR: z.string().default('./data'),
  /** Set to share realtime events and presence between several Parley nodes. */
  REDIS_URL: z.string().optional(),
  /** Credentials of the first admin; generated and printed once when unset. */
  PARLEY_ADMIN_EMAIL: z.string().email().optional(),
  PARLEY_ADMIN_PASSWORD: z.string().min(8).optional(),
  /** Secret for signing visitor tokens. Defaults to one generated once and kept in the database (shared by all nodes). */
  PARLEY_SECRET: z.string().min(32).optional(),
  /** Create the demo site and shop on first start. */
  PARLEY_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Set cookies with the Secure flag (behind HTTPS). */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Behind a reverse proxy, trust its X-Forwarded-For / -Proto headers (for client IPs in rate limits and
   * geolocation). Off by default: without a proxy, anyone could forge their address.
   */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Messages a visitor may send per minute. */
  VISITOR_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /**
   * Days a visitor token lives. The widget gets a fresh one on every session start and, past half
   * its life, over its socket: only a visitor away longer than this comes back as a new visitor.
   */
  VISITOR_TOKEN_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** Login attempts per email+IP per minute, counted before the password is checked; a successful one is given back. */
  LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Name of this node in logs and presence; defaults to host:pid. */
  NODE_ID: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Reads and validates the environment; throws a readable error listing every bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
