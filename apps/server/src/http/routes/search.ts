/** The console's search box: messages (notes included) and visitors on the caller's sites. */
import { API_PATHS, LIMITS, type SearchResults } from '@parley/protocol';
import { searchQuery } from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { sitesInScope } from '../../modules/policy/access.js';
import { searchEverything } from '../../modules/search/search.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export function searchRoutes(app: FastifyInstance, ctx: DomainContext): void {
  app.get(
    API_PATHS.search,
    { preHandler: requireOperator(ctx.db) },
    async (request): Promise<SearchResults> => {
      const query = parse(searchQuery, request.query, 'query');
      const { siteId, limit, ...rest } = query;
      return searchEverything(ctx.db, {
        ...rest,
        // Searching shows what reading conversations shows: the same rule, the same sites.
        siteIds: sitesInScope(principalOf(request), 'conversation.view', siteId),
        limit: limit ?? LIMITS.pageSize.default,
      });
    },
  );
}
