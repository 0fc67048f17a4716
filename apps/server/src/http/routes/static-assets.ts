/**
 * Files Parley serves besides the API: the console SPA (/console), the widget
 * (/widget: loader, chat frame and its assets) and, while PARLEY_DEMO is on,
 * the demo shop (/shop), whose snippet names the demo site.
 * The chat frame carries a CSP `frame-ancestors` with the site's allowed
 * origins, so only those pages can embed it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { widgetFrameQuery } from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { normalizeOrigin } from '../../modules/policy/origins.js';
import { findSiteByPublicKey } from '../../modules/sites/queries.js';
import { parse } from '../validate.js';

export interface StaticDirs {
  console: string;
  widget: string;
  shop: string;
}

export async function staticRoutes(
  app: FastifyInstance,
  deps: { db: Db; dirs: StaticDirs; demo: boolean },
): Promise<void> {
  const { dirs } = deps;

  if (existsSync(join(dirs.widget, 'frame.html'))) {
    const frameHtml = await readFile(join(dirs.widget, 'frame.html'), 'utf8');
    app.get('/widget/frame.html', async (request, reply) => {
      const key = parse(widgetFrameQuery, request.query).site;
      const site = key === undefined ? undefined : await findSiteByPublicKey(deps.db, key);
      const ancestors = ["'self'", ...(site?.allowed_origins ?? []).map(normalizeOrigin).filter(Boolean)];
      return reply
        .header('content-security-policy', `frame-ancestors ${ancestors.join(' ')}`)
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(frameHtml);
    });
  }

  await app.register(fastifyStatic, {
    root: dirs.widget,
    prefix: '/widget/',
    decorateReply: false,
    // The loader is fetched on every page view of every site: let browsers keep it a while.
    maxAge: '10m',
  });
  if (deps.demo)
    await app.register(fastifyStatic, { root: dirs.shop, prefix: '/shop/', decorateReply: false });
  await app.register(fastifyStatic, {
    root: dirs.console,
    prefix: '/console/',
    decorateReply: true,
    wildcard: false,
  });

  // The console is a single-page app: every /console/... path that is not a file gets index.html.
  app.get('/console/*', (_request, reply) => reply.sendFile('index.html', dirs.console));
  app.get('/console', (_request, reply) => reply.redirect('/console/'));
  app.get('/', (_request, reply) => reply.redirect(deps.demo ? '/shop/' : '/console/'));
}
