/**
 * The user-service's HTTP app: its route table in the shared shell, which validates every
 * param and body against the route's schemas and answers every refusal with protocol's one
 * error body. What is this service's own is who the caller is: every authenticated route,
 * admin included, is checked against the database (see admin-auth.ts).
 */
import type express from 'express';
import type { Request } from 'express';
import { createHttpApp } from '@revocation-fabric/service-runtime';
import type { OpenApiOptions } from '@revocation-fabric/service-runtime';
import type { ServiceContext } from '../context.js';
import { ERROR_CODES, UserServiceError } from '../errors.js';
import { verifyAccessToken } from '../tokens/verify-access-token.js';
import { authenticateAdmin } from './admin-auth.js';
import type { AuthRequirement, Caller, Route } from './route.js';
import { bearerHeader } from './schemas.js';

const challenge = { 'WWW-Authenticate': 'Bearer' };

async function authenticate(ctx: ServiceContext, auth: string, req: Request): Promise<Caller> {
  const header = req.headers.authorization;
  if (header === undefined) {
    throw new UserServiceError({
      code: 'UNAUTHORIZED',
      message: 'a bearer access token is required',
      headers: challenge,
    });
  }
  const parsed = bearerHeader.safeParse(header);
  if (!parsed.success) {
    throw new UserServiceError({
      code: 'UNAUTHORIZED',
      message: 'malformed Authorization header',
      headers: challenge,
      fields: [
        { path: 'headers.authorization', message: parsed.error.issues[0]?.message ?? 'invalid' },
      ],
    });
  }
  const token = parsed.data.slice('Bearer '.length);
  const { claims } =
    (auth as AuthRequirement) === 'admin'
      ? await authenticateAdmin(ctx, token)
      : await verifyAccessToken(ctx, token);
  return { userId: claims.sub, sessionId: claims.sid, roles: claims.roles, claims };
}

/** How `/openapi.json` documents this service. */
export const openApiOptions: OpenApiOptions = {
  info: {
    title: 'revocation-fabric user-service',
    version: '0.1.0',
    description:
      'Accounts, sessions, access and refresh tokens, JWKS, and every revocation path. ' +
      'Revocations are committed with their events in one transaction and published to ' +
      'Kafka by an outbox relay.',
  },
  errorCodes: ERROR_CODES,
  securitySchemes: {
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        'An access token from /auth/login or /auth/refresh. Admin endpoints need the `admin` role.',
    },
  },
  authResponses: (auth) => [
    [401, 'Missing, invalid or revoked access token.'],
    ...(auth === 'admin'
      ? ([
          [403, 'The token lacks the admin role.'],
          [503, 'Not ready (admin authentication still starting).'],
        ] as const)
      : []),
  ],
};

/**
 * Builds the express app of a route table.
 *
 * @example
 * ```ts
 * const app = createApp(ctx, routes);
 * ```
 */
export function createApp(ctx: ServiceContext, routes: readonly Route[]): express.Express {
  return createHttpApp<Caller>({
    logger: ctx.logger,
    httpDuration: ctx.metrics.httpDuration,
    routes,
    authenticate: (auth, req) => authenticate(ctx, auth, req),
    trustProxy: ctx.config.http.trustProxy,
    bodyLimitBytes: ctx.config.http.bodyLimitBytes,
  });
}
