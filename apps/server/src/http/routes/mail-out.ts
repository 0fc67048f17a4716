/**
 * Email out over HTTP: the console's queue figure (owners and admins), an
 * operator's own email preferences, the widget's transcript request, and the
 * one-click unsubscribe a notification links to (no login: the key in the
 * link is the credential, and it can only turn mail off).
 */
import {
  API_PATHS,
  type MailPreferencesDTO,
  type MailStatusResponse,
  type TranscriptResponse,
} from '@parley/protocol';
import { transcriptRequest, updateMailPreferencesRequest, z } from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { notFound } from '../../modules/errors.js';
import { UNSUBSCRIBE_KINDS } from '../../modules/mail/outgoing/compose.js';
import {
  getMailPreferences,
  mailPreferencesUpdater,
  unsubscriber,
} from '../../modules/mail/outgoing/preferences.js';
import { getMailQueueCounts } from '../../modules/mail/outgoing/status.js';
import { transcriptRequester } from '../../modules/mail/outgoing/transcripts.js';
import { unsubscribePage } from '../../modules/mail/templates/unsubscribe-page.js';
import { authorizeInstallation } from '../../modules/policy/access.js';
import type { VisitorTokenSigner } from '../../modules/visitors/tokens.js';
import { principalOf, requireOperator, visitorOf } from '../callers.js';
import { parse } from '../validate.js';

export interface MailOutRouteDeps {
  ctx: DomainContext;
  signer: VisitorTokenSigner;
  smtpConfigured: boolean;
}

const unsubscribeQuery = z
  .object({
    key: z.string().regex(/^[0-9a-f]{64}$/, 'Not an unsubscribe link'),
    kind: z.enum(UNSUBSCRIBE_KINDS),
  })
  .strict();

export function mailOutRoutes(app: FastifyInstance, deps: MailOutRouteDeps): void {
  const { ctx } = deps;
  const authenticated = { preHandler: requireOperator(ctx.db) };

  app.get(API_PATHS.mailStatus, authenticated, async (request): Promise<MailStatusResponse> => {
    authorizeInstallation(principalOf(request), 'mail.status');
    return { smtpConfigured: deps.smtpConfigured, ...(await getMailQueueCounts(ctx.db)) };
  });

  app.get(API_PATHS.ownMailPreferences, authenticated, async (request): Promise<MailPreferencesDTO> => {
    const preferences = await getMailPreferences(ctx.db, principalOf(request).operatorId);
    if (!preferences) throw notFound('Operator');
    return preferences;
  });

  app.patch(API_PATHS.ownMailPreferences, authenticated, async (request): Promise<MailPreferencesDTO> => {
    const changes = parse(updateMailPreferencesRequest, request.body);
    const preferences = await mailPreferencesUpdater(ctx.db, principalOf(request).operatorId, changes);
    if (!preferences) throw notFound('Operator');
    return preferences;
  });

  app.post(API_PATHS.widgetTranscript, async (request, reply) => {
    const { visitorId } = await visitorOf(ctx.db, deps.signer, request);
    const body = parse(transcriptRequest, request.body);
    const response: TranscriptResponse = await transcriptRequester(ctx.db, { visitorId, email: body.email });
    return reply.status(202).send(response);
  });

  // GET shows a page with a button (link scanners follow GETs); POST turns the mail off (RFC 8058 one-click too).
  app.get(API_PATHS.mailUnsubscribe, async (request, reply) => {
    const query = parse(unsubscribeQuery, request.query, 'query');
    return reply.type('text/html; charset=utf-8').send(unsubscribePage({ ...query, done: false }));
  });
  // Forms and mail clients post `List-Unsubscribe=One-Click` form-encoded: accepted (and ignored) on this route only.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, _body, done) => done(null, {}),
    );
    scope.post(API_PATHS.mailUnsubscribe, async (request, reply) => {
      const query = parse(unsubscribeQuery, request.query, 'query');
      if (!(await unsubscriber(ctx.db, query.key, query.kind))) throw notFound('Unsubscribe link');
      return reply.type('text/html; charset=utf-8').send(unsubscribePage({ ...query, done: true }));
    });
  });
}
