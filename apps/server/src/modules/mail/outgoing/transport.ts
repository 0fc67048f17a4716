/**
 * The SMTP connection: nodemailer over `SMTP_URL`, and what its failures
 * mean for the outbox. A 5xx reply is the mail server's final word (unknown
 * mailbox, refused sender): retrying cannot help, so the row goes dead. A
 * 4xx reply (greylisting, a full queue) and a server that cannot be reached
 * are temporary: thrown as they are, the outbox retries with backoff.
 */
import nodemailer from 'nodemailer';
import { PermanentOutboxError } from '../../../outbox/topics.js';

/** One mail, ready for the wire. */
export interface OutgoingMail {
  from: string | { name: string; address: string };
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
}

export interface MailTransport {
  /** Resolves when the server accepted the mail (250 after DATA). */
  send(mail: OutgoingMail, signal?: AbortSignal): Promise<void>;
  close(): void;
}

/** How long conversation may take at each step before it counts as a temporary failure. */
const SMTP_TIMEOUT_MS = 30_000;

export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(mail, signal) {
      signal?.throwIfAborted();
      try {
        await transporter.sendMail({
          from: mail.from,
          to: mail.to,
          replyTo: mail.replyTo,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          inReplyTo: mail.inReplyTo,
          references: mail.references,
          headers: mail.headers,
        });
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    close() {
      transporter.close();
    },
  };
}

/** A permanent refusal (5xx) becomes a PermanentOutboxError; anything else stays retryable. */
export function classifySmtpError(error: unknown): Error {
  const code = (error as { responseCode?: unknown }).responseCode;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof code === 'number' && code >= 500 && code < 600) {
    return new PermanentOutboxError(`the mail server refused the mail (${code}): ${text}`);
  }
  return error instanceof Error ? error : new Error(text);
}
