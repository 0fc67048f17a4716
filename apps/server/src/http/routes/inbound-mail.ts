/**
 * Replies by mail over HTTP: POST /api/mail/inbound takes one raw MIME message (`message/rfc822`,
 * `text/plain` or `application/octet-stream`), as mail providers' inbound webhooks post it, and
 * hands it to the same receiver as the SMTP listener. The caller is the provider, proven by
 * INBOUND_MAIL_SECRET (a bearer token, or `?secret=` for providers that only take a URL); without
 * the secret configured the endpoint does not exist (404). The secret and the declared size are
 * checked before a byte of the body is read; the body is capped at INBOUND_MAIL_MAX_BYTES (413).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { API_PATHS, type InboundMailResponse } from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, notFound } from '../../modules/errors.js';
import {
  type InboundMailDeps,
  type InboundOutcome,
  inboundMailReceiver,
} from '../../modules/mail/inbound/receiver.js';

export interface InboundMailRouteDeps {
  inbound: InboundMailDeps;
  secret: string | undefined;
}

const RAW_TYPES = ['message/rfc822', 'text/plain', 'application/octet-stream'];

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The secret the request presents, compared in constant time. */
function presentsSecret(request: FastifyRequest, secret: string): boolean {
  const header = request.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const query = (request.query as { secret?: unknown }).secret;
  const given = bearer ?? (typeof query === 'string' ? query : undefined);
  return given !== undefined && timingSafeEqual(digest(given), digest(secret));
}

function answerOf(outcome: InboundOutcome): InboundMailResponse {
  switch (outcome.kind) {
    case 'posted':
      return { outcome: 'posted', conversationId: outcome.conversationId, messageId: outcome.messageId };
    case 'duplicate':
      return { outcome: 'duplicate' };
    case 'ignored':
      return { outcome: 'ignored', reason: outcome.reason };
    case 'refused':
      switch (outcome.code) {
        case 'unknown_recipient':
          throw new DomainError('not_found', 'No conversation has this reply address');
        case 'wrong_sender':
          throw new DomainError('forbidden', 'The sender does not match this reply address');
        case 'too_large':
          throw new DomainError('payload_too_large', 'The message is too large');
        case 'malformed':
          throw new DomainError('bad_request', `Malformed message: ${outcome.reason}`);
      }
  }
}

export function inboundMailRoutes(app: FastifyInstance, deps: InboundMailRouteDeps): void {
  void app.register(async (scope) => {
    // In this scope only: the body is the raw message, kept as bytes up to the mail size limit.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      RAW_TYPES,
      { parseAs: 'buffer', bodyLimit: deps.inbound.maxBytes },
      (_request, body, done) => done(null, body),
    );
    scope.addHook('onRequest', async (request) => {
      const { secret } = deps;
      if (!secret) throw notFound('Inbound mail (set INBOUND_MAIL_SECRET to turn it on)');
      if (!presentsSecret(request, secret))
        throw new DomainError('unauthorized', 'The inbound mail secret is missing or wrong');
      const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
      if (!type || !RAW_TYPES.includes(type))
        throw new DomainError('unsupported_type', `Post the raw message as ${RAW_TYPES.join(', ')}`);
    });
    scope.addHook('onError', async (request, _reply, error) => {
      request.log.warn({ err: error }, 'inbound mail refused over http');
    });
    scope.post(API_PATHS.mailInbound, async (request) => {
      const raw = request.body;
      if (!Buffer.isBuffer(raw) || raw.length === 0)
        throw new DomainError('bad_request', 'The body must be the raw message');
      return answerOf(await inboundMailReceiver(deps.inbound, raw));
    });
  });
}
