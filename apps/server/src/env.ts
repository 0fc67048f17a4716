/**
 * The only reader of the process environment. Every setting Parley has is
 * declared, documented and validated here; the rest of the code receives a
 * typed `Env` object. README.md lists the same variables for operators.
 */
import { z } from 'zod';

const envSchema = z
  .object({
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
    /**
     * Where uploaded files are kept (the filesystem file store); DATA_DIR/files by default. Several nodes
     * must share it (a network volume), or use another store (`storage/file-store.ts`).
     */
    FILES_DIR: z.string().optional(),
    /** Hours an upload may wait for the message that sends it before it is removed. */
    FILE_ORPHAN_HOURS: z.coerce
      .number()
      .min(0.01)
      .max(24 * 365)
      .default(24),
    /**
     * Outgoing mail: `smtp://user:pass@host:587` or `smtps://…:465`. Without it, emails wait in the
     * outbox (the console says how many) and the widget promises no email answers.
     */
    SMTP_URL: z.string().url().optional(),
    /** The From address of Parley's emails; defaults to parley@<MAIL_REPLY_DOMAIN>. */
    MAIL_FROM: z.string().optional(),
    /**
     * The domain of reply addresses (`reply+<token>@MAIL_REPLY_DOMAIN`): its MX must reach Parley's
     * inbound listener or a provider that posts to /api/mail/inbound. Defaults to PUBLIC_URL's host.
     */
    MAIL_REPLY_DOMAIN: z.string().optional(),
    /**
     * Inbound mail over SMTP: the port of Parley's own listener for replies by mail (25 when the reply
     * domain's MX points at this host; another behind a port forward). Unset: no listener (off).
     */
    INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** The address the inbound SMTP listener binds; 0.0.0.0 to take mail from the internet. */
    INBOUND_SMTP_HOST: z.string().default('127.0.0.1'),
    /** PEM key and certificate files for STARTTLS on the inbound listener; without them it speaks plain SMTP. */
    INBOUND_SMTP_TLS_KEY_FILE: z.string().optional(),
    INBOUND_SMTP_TLS_CERT_FILE: z.string().optional(),
    /**
     * The largest inbound mail, in bytes, attachments included: announced in SMTP (SIZE), enforced
     * while the mail streams, and the HTTP endpoint's body limit.
     */
    INBOUND_MAIL_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(64 * 1024)
      .max(100 * 1024 * 1024)
      .default(25 * 1024 * 1024),
    /**
     * The secret a mail provider's inbound webhook presents to POST /api/mail/inbound (as
     * `Authorization: Bearer <secret>`, or `?secret=<secret>` when it cannot set headers). Unset: the
     * endpoint is off (404).
     */
    INBOUND_MAIL_SECRET: z.string().min(24).optional(),
    /** Set to share realtime events and presence between several Parley nodes. */
    REDIS_URL: z.string().optional(),
    /** Credentials of the first admin; generated and printed once when unset. */
    PARLEY_ADMIN_EMAIL: z.string().email().optional(),
    PARLEY_ADMIN_PASSWORD: z.string().min(8).optional(),
    /** Secret for signing visitor tokens. Defaults to one generated once and kept in the database (shared by all nodes). */
    PARLEY_SECRET: z.string().min(32).optional(),
    /**
     * The demo site (key `demo`) and the demo shop at /shop/. Off: no demo site (one left from before is
     * removed, or kept under a new key if it has conversations), and the first owner starts by adding a site.
     */
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
     * Messages all visitors behind one IP address may send per minute, together: fresh visitor tokens
     * must not multiply the per-visitor limit. Generous enough for an office behind one NAT.
     */
    VISITOR_MESSAGES_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    /** Messages all visitors of one site may send per minute, together: the ceiling one site's abuse can reach. */
    SITE_VISITOR_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
    /** New visitors (widget sessions without a valid token) one IP address may start per minute. */
    NEW_VISITORS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /**
     * Tracking batches (loader → /api/widget/track) one visitor may send per minute. The loader sends
     * a few (pages, a ping every 25 s); a script flooding events hits this and gets 429.
     */
    TRACK_BATCHES_PER_VISITOR_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    /** Tracking batches all visitors behind one IP address may send per minute, together (an office's NAT). */
    TRACK_BATCHES_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
    /**
     * Database connections of this node's own for tracking batches (a pool apart from the chat's 20):
     * however busy the site's pages are, the chat never waits behind them for a connection.
     */
    TRACKING_DB_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(4),
    /**
     * Tracking batches this node works on at once (waiting for a tracking connection included); more
     * are answered 503 at once and the loader sends them again later, same items, written once.
     */
    TRACKING_MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(64),
    /** New visitors one site may get per minute, from everywhere together. */
    NEW_VISITORS_PER_SITE_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
    /**
     * Bytes the server may hold for one socket that reads too slowly before it closes it
     * (`CLOSE_CODES.tooSlow`; the client reconnects and resyncs). Above the largest single answer.
     */
    SOCKET_SEND_BUFFER_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(64 * 1024)
      .default(16 * 1024 * 1024),
    /** How often the server pings every socket; browsers answer pings by themselves. */
    SOCKET_PING_INTERVAL_MS: z.coerce.number().int().min(10).default(25_000),
    /** A socket heard nothing from (no pong, no frame) for this long is cut: a half-open connection. */
    SOCKET_PONG_TIMEOUT_MS: z.coerce.number().int().min(20).default(60_000),
    /**
     * Days a visitor token lives. The widget gets a fresh one on every session start and, past half
     * its life, over its socket: only a visitor away longer than this comes back as a new visitor.
     */
    VISITOR_TOKEN_DAYS: z.coerce.number().positive().max(3650).default(30),
    /** Login attempts per email+IP per minute, counted before the password is checked; a successful one is given back. */
    LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).default(5),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * How long to wait for a new PostgreSQL connection (TCP + handshake). Past it, the request fails with an
     * error rather than waiting on a database that does not answer.
     */
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3_000),
    /**
     * PostgreSQL cancels a statement running longer than this (statement_timeout); the client gives up one
     * second later on a server that does not answer at all (a frozen host). Below the clients' 10 s ack
     * timeout, so a frame gets an error instead of hanging. Migrations are exempt.
     */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
    /** A Redis command not answered within this fails, and Parley carries on without Redis (local limits and delivery). */
    REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).default(1_000),
    /** `/readyz` answers 503 when the database does not answer its probe within this. */
    READY_PROBE_TIMEOUT_MS: z.coerce.number().int().min(50).default(2_000),
    /**
     * How many times within 10 minutes a crashed embedded PostgreSQL is restarted before Parley gives up and
     * exits (code 1) so its own supervisor (systemd, Docker, Kubernetes) restarts the whole thing.
     */
    EMBEDDED_POSTGRES_RESTARTS: z.coerce.number().int().min(0).default(3),
    /** Name of this node in logs and presence; defaults to host:pid. */
    NODE_ID: z.string().optional(),
  })
  .refine((env) => !env.INBOUND_SMTP_TLS_KEY_FILE === !env.INBOUND_SMTP_TLS_CERT_FILE, {
    message: 'set both INBOUND_SMTP_TLS_KEY_FILE and INBOUND_SMTP_TLS_CERT_FILE, or neither',
    path: ['INBOUND_SMTP_TLS_CERT_FILE'],
  })
  .refine((env) => env.SOCKET_PONG_TIMEOUT_MS > env.SOCKET_PING_INTERVAL_MS, {
    message: 'must be longer than SOCKET_PING_INTERVAL_MS',
    path: ['SOCKET_PONG_TIMEOUT_MS'],
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
