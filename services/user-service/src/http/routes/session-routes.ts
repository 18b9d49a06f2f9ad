/** The caller's sessions: list them, end one. */
import { listSessions } from '../../accounts/sessions.js';
import type { ServiceContext } from '../../context.js';
import { revokeSession } from '../../revocations/revoke-session.js';
import type { Route } from '../route.js';
import { defineRoute } from '../route.js';
import { sessionParams, sessionsResponse } from '../schemas.js';

/** Routes under `/sessions`. */
export function sessionRoutes(ctx: ServiceContext): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/sessions',
      operationId: 'listSessions',
      summary: 'List my live sessions',
      description: 'Sessions neither revoked nor past their maximum lifetime.',
      tags: ['sessions'],
      auth: 'user',
      responses: { 200: { description: 'Live sessions.', schema: sessionsResponse } },
      handle: async ({ caller }) => ({
        status: 200,
        body: { sessions: await listSessions(ctx, caller.userId, caller.sessionId) },
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/sessions/:sid',
      operationId: 'revokeMySession',
      summary: 'Log out one device',
      description: 'Publishes a session revocation (reason `logout`). Only your own sessions.',
      tags: ['sessions'],
      auth: 'user',
      params: sessionParams,
      responses: {
        204: { description: 'Session ended.' },
        404: { description: 'No such session of yours.' },
      },
      handle: async ({ params, caller }) => {
        await revokeSession(ctx, {
          sessionId: params.sid,
          ownerId: caller.userId,
          reason: 'logout',
          actor: caller.userId,
        });
        return { status: 204 };
      },
    }),
  ];
}
