/**
 * Transport, SMTP side: Parley's own listener for replies by mail (`smtp-server`), for a reply
 * domain whose MX points at this host. It speaks only for the reply addresses Parley gave out:
 * any other recipient is refused at RCPT (550, so Parley is never an open relay); the size limit
 * is announced (SIZE), a declared larger size refused at MAIL FROM and a larger message at the end
 * of DATA (552). What a mail means is the domain's (`inboundMailReceiver`): a refusal comes back
 * as 550, automatic mail is accepted and dropped (250), and a failure of ours (the database away)
 * is 451 so the sending server tries again later. No mail, however bad, can throw out of here.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Logger } from '../logger.js';
import {
  type InboundMailDeps,
  type InboundOutcome,
  inboundMailReceiver,
  threadOfAddress,
} from '../modules/mail/inbound/receiver.js';

export interface InboundSmtpOptions {
  port: number;
  host: string;
  /** PEM files for STARTTLS; plain SMTP without them. */
  tls?: { keyFile: string; certFile: string };
}

export interface InboundSmtpListener {
  port: number;
  /** Stops taking connections; the ones in progress get `closeTimeout` to finish. */
  close(): Promise<void>;
}

const smtpError = (responseCode: number, message: string) =>
  Object.assign(new Error(message), { responseCode });

/** The SMTP answer to a receiver's outcome: null is 250. */
function replyOf(outcome: InboundOutcome): Error | null {
  if (outcome.kind !== 'refused') return null;
  switch (outcome.code) {
    case 'unknown_recipient':
      return smtpError(550, '5.1.1 No such reply address');
    case 'wrong_sender':
      return smtpError(550, '5.7.1 This address takes replies from its conversation only');
    case 'too_large':
      return smtpError(552, '5.3.4 Message too big');
    case 'malformed':
      return smtpError(550, '5.6.0 Malformed message');
  }
}

/** Reads DATA into memory up to the limit; past it, reads on and keeps nothing (552 follows). */
function readLimited(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    stream.once('error', reject);
    stream.once('end', () => resolve(stream.sizeExceeded || bytes > maxBytes ? null : Buffer.concat(chunks)));
  });
}

/** Starts the listener on `options.port` (0: a free one, for tests). */
export async function startInboundSmtp(
  deps: InboundMailDeps,
  options: InboundSmtpOptions,
  log: Logger,
): Promise<InboundSmtpListener> {
  const tls = options.tls && {
    key: await readFile(options.tls.keyFile),
    cert: await readFile(options.tls.certFile),
  };
  const server = new SMTPServer({
    name: deps.replyDomain,
    banner: 'Parley inbound mail',
    size: deps.maxBytes,
    rejectOversized: true,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...tls,
    logger: false,
    maxClients: 100,
    socketTimeout: 60_000,
    closeTimeout: 10_000,
    onRcptTo(address, _session, callback) {
      threadOfAddress(deps, address.address).then(
        (thread) => {
          if (thread) return callback();
          log.info({ rcptTo: address.address }, 'inbound mail refused: unknown recipient');
          callback(smtpError(550, '5.1.1 No such reply address'));
        },
        (error: unknown) => {
          log.warn({ err: error }, 'inbound smtp: recipient check failed');
          callback(smtpError(451, '4.3.0 Try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const rcptTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
      readLimited(stream, deps.maxBytes)
        .then(async (raw) => {
          if (!raw) {
            log.warn({ mailFrom, bytes: stream.byteLength }, 'inbound mail refused: too large');
            return smtpError(552, '5.3.4 Message too big');
          }
          return replyOf(await inboundMailReceiver(deps, raw, { mailFrom, rcptTo }));
        })
        .then(
          (reply) => callback(reply),
          (error: unknown) => {
            log.error({ err: error }, 'inbound smtp: mail could not be handled');
            callback(smtpError(451, '4.3.0 Try again later'));
          },
        );
    },
  });
  // A broken connection or a bad command is the client's problem: log it, keep listening.
  server.on('error', (error) => log.warn({ err: error }, 'inbound smtp: connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ port, host: options.host }, 'inbound smtp listening');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
