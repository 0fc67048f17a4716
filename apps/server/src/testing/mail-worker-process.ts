/**
 * A node that sends email (the `email.send` handler over SMTP_URL) as a
 * child process, for the restart test (modules/mail/outgoing/restart.test.ts)
 * to SIGKILL in the middle of a send. Prints `ready` once its worker runs.
 */
import { connectDatabase } from '../db/database.js';
import { createLogger } from '../logger.js';
import { mailConfig } from '../modules/mail/outgoing/config.js';
import { emailSender } from '../modules/mail/outgoing/sender.js';
import { smtpTransport } from '../modules/mail/outgoing/transport.js';
import { OutboxWorker } from '../outbox/worker.js';

const database = connectDatabase(process.env.DATABASE_URL ?? '', 4);
const config = mailConfig({
  mailReplyDomain: process.env.MAIL_REPLY_DOMAIN,
  publicUrl: 'http://127.0.0.1:3000',
});
const worker = new OutboxWorker({
  database,
  handlers: { 'email.send': emailSender(database.db, config, smtpTransport(process.env.SMTP_URL ?? '')) },
  nodeId: `mail-child-${process.pid}`,
  log: createLogger('warn', 'mail-child'),
  pollMs: 200,
  leaseMs: Number(process.env.OUTBOX_TEST_LEASE_MS ?? 60_000),
});
await worker.start();
process.stdout.write('ready\n');
