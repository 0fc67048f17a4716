/** What sending needs to know about this installation, derived once from env in services.ts. */

export interface MailConfig {
  /** The From address (bare); mails show the site's name beside it unless MAIL_FROM names a sender itself. */
  from: string;
  /** The domain of reply addresses and of Message-IDs. */
  replyDomain: string;
  /** Where people reach Parley (links, photos), without a trailing slash. */
  publicUrl: string;
}

export function mailConfig(props: {
  mailFrom?: string;
  mailReplyDomain?: string;
  publicUrl: string;
}): MailConfig {
  const publicUrl = props.publicUrl.replace(/\/$/, '');
  const replyDomain = props.mailReplyDomain ?? new URL(publicUrl).hostname;
  return { from: props.mailFrom ?? `parley@${replyDomain}`, replyDomain, publicUrl };
}

/** `"Site" <addr>` unless the configured From already names its sender. */
export function fromHeader(config: MailConfig, siteName: string): string | { name: string; address: string } {
  return /<[^>]+>/.test(config.from) ? config.from : { name: siteName, address: config.from };
}

/** The Message-ID of the mail an outbox row sends: the same on every attempt, on every node. */
export function messageIdOf(config: MailConfig, outboxId: string): string {
  return `<mail.${outboxId}@${config.replyDomain}>`;
}

/**
 * The root every mail of a conversation refers to (In-Reply-To, References), so clients show them
 * as one thread — and a reply to any of them carries it back (the inbound side may use it).
 */
export function conversationRootId(config: MailConfig, conversationId: string): string {
  return `<conversation.${conversationId}@${config.replyDomain}>`;
}
