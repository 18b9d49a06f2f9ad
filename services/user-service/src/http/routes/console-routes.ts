/**
 * What the admin console needs beyond the admin endpoints: finding an account and reading its
 * live sessions (revoking them, revoking all and banning are the admin endpoints'), and the
 * console's page itself. The page is public (it holds no data); everything it shows comes from
 * `auth: 'admin'` routes called with the token the admin signs in for.
 */
import { findUsers } from '../../accounts/find-users.js';
import { listSessions } from '../../accounts/sessions.js';
import { findUserById } from '../../accounts/users.js';
import type { ServiceContext } from '../../context.js';
import { UserServiceError } from '../../errors.js';
import { consolePageRoutes } from '../console-page.js';
import {
  parseQuery,
  userPageResponse,
  userSearchParameters,
  userSearchQuery,
} from '../console-schemas.js';
import type { Route } from '../route.js';
import { defineRoute } from '../route.js';
import { sessionsResponse, userParams } from '../schemas.js';

const tags = ['admin'];
const DEFAULT_PAGE = 20;

/**
 * The console's routes: its page (`/admin/console`) and the two reads it adds to `/admin`.
 *
 * @example
 * ```ts
 * const routes = [...adminRoutes(ctx), ...consoleRoutes(ctx)];
 * ```
 */
export function consoleRoutes(ctx: ServiceContext): Route[] {
  return [
    ...consolePageRoutes(),
    defineRoute({
      method: 'get',
      path: '/admin/users',
      operationId: 'findUsers',
      summary: 'Find accounts by the start of a username, or by id',
      description:
        'One page of at most 50 accounts in username order; `next` is the cursor of the next ' +
        'page (`after`), `null` on the last.',
      tags,
      auth: 'admin',
      parameters: userSearchParameters,
      responses: {
        200: { description: 'One page of accounts.', schema: userPageResponse },
        400: { description: 'Invalid query; `fields` names each offending parameter.' },
      },
      handle: async ({ req }) => {
        const query = parseQuery(userSearchQuery, req.query);
        const page = await findUsers(ctx.store.db, {
          query: query.query,
          limit: query.limit ?? DEFAULT_PAGE,
          after: query.after,
        });
        return { status: 200, body: page };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/users/:userId/sessions',
      operationId: 'listUserSessions',
      summary: 'List an account’s live sessions',
      description:
        'Sessions neither revoked nor past their maximum lifetime, most recently used first; ' +
        '`current` marks the asking admin’s own session.',
      tags,
      auth: 'admin',
      params: userParams,
      responses: {
        200: { description: 'Live sessions.', schema: sessionsResponse },
        404: { description: 'No such user.' },
      },
      handle: async ({ params, caller }) => {
        const user = await findUserById(ctx.store.db, params.userId);
        if (user === undefined)
          throw new UserServiceError({ code: 'NOT_FOUND', message: 'no such user' });
        return {
          status: 200,
          body: { sessions: await listSessions(ctx, user.id, caller.sessionId) },
        };
      },
    }),
  ];
}
