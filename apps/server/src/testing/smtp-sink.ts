/**
 * A real SMTP server on loopback for tests to send to (the `smtp-server`
 * package): it accepts or refuses each mail as the test says, parses the
 * accepted ones with `mailparser`, and lets tests wait for them — the
 * visitor's and operators' mailboxes.
 */
import { type AddressInfo, createServer } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitUntil } from './wait-until.js';

export interface SinkMail {
  /** RCPT TO addresses. */
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** A header's value as written (first occurrence), e.g. `header('reply-to')`. */
  header(name: string): string | undefined;
}

/** What the sink does with the next DATA: accept (250), refuse with a code, or hold it until told. */
export type SinkAnswer = { accept: true } | { code: number; message: string } | { hold: true };

export class SmtpSink {
  readonly mails: SinkMail[] = [];
  /** DATA commands seen, accepted or not. */
  attempts = 0;
  private answers: SinkAnswer[] = [];
  private held: (() => void)[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (!sink) return callback(new Error('sink not ready'));
          sink.attempts++;
          const answer = sink.answers.shift() ?? { accept: true };
          const to = session.envelope.rcptTo.map((r) => r.address);
          const accept = () => {
            const raw = Buffer.concat(chunks);
            simpleParser(raw)
              .then((parsed) => {
                sink?.mails.push({
                  to,
                  raw,
                  parsed,
                  header: (name) => headerOf(raw, name),
                });
                callback();
              })
              .catch((error: Error) => callback(error));
          };
          if ('accept' in answer) accept();
          else if ('hold' in answer) sink.held.push(accept);
          else callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
        });
      },
    });
    const port = await freePort();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    sink = new SmtpSink(server, port);
    return sink;
  }

  /** How the next DATA commands are answered, in order; afterwards every mail is accepted. */
  answerNext(...answers: SinkAnswer[]): void {
    this.answers.push(...answers);
  }

  /** Forgets the mails being held, unaccepted (their sender died before the server's reply). */
  dropHeld(): void {
    this.held = [];
  }

  /** Accepts the mails being held. */
  release(): void {
    for (const accept of this.held.splice(0)) accept();
  }

  /** Waits until a mail matching `match` arrived, and returns it. */
  async waitForMail(match: (mail: SinkMail) => boolean, timeoutMs = 15_000): Promise<SinkMail> {
    let found: SinkMail | undefined;
    await waitUntil(async () => {
      found = this.mails.find(match);
      return Boolean(found);
    }, timeoutMs);
    return found as SinkMail;
  }

  mailsTo(address: string): SinkMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  close(): Promise<void> {
    this.held = [];
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The raw value of a header (unfolded), from the header block of a raw message. */
function headerOf(raw: Buffer, name: string): string | undefined {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const block = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
