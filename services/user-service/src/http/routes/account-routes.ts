/** Registration, login, refresh, logout, password change, and the caller's own account. */
import { login } from '../../accounts/login.js';
import { registerAccount } from '../../accounts/register.js';
import { accountView, findUserById } from '../../accounts/users.js';
import type { ServiceContext } from '../../context.js';
import { UserServiceError } from '../../errors.js';
import { changePassword } from '../../revocations/change-password.js';
import { revokeSession } from '../../revocations/revoke-session.js';
import { revokeSubject } from '../../revocations/revoke-subject.js';
import { refreshSession } from '../../tokens/refresh-session.js';
import type { Route } from '../route.js';
import { defineRoute } from '../route.js';
import {
  accountResponse,
  credentialsBody,
  passwordChangeBody,
  refreshBody,
  registrationBody,
  tokenPairResponse,
} from '../schemas.js';

const noStore = { 'Cache-Control': 'no-store' };

/** Routes under `/auth` and `/me`. */
export function accountRoutes(ctx: ServiceContext): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/register',
      operationId: 'register',
      summary: 'Create an account',
      tags: ['accounts'],
      auth: 'none',
      body: registrationBody,
      responses: {
        201: { description: 'Account created.', schema: accountResponse },
        409: { description: 'The username is taken.' },
      },
      handle: async ({ body }) => ({ status: 201, body: await registerAccount(ctx, body) }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/login',
      operationId: 'login',
      summary: 'Sign in with username and password; opens a session',
      description:
        'Unknown user and wrong password get the same 401 after the same work. Failures are ' +
        'throttled per account and per client address (429 with Retry-After).',
      tags: ['accounts'],
      auth: 'none',
      body: credentialsBody,
      responses: {
        200: { description: 'Signed in.', schema: tokenPairResponse },
        401: { description: 'Invalid username or password.' },
        403: { description: 'The account is banned or suspended.' },
        429: { description: 'Too many failed logins.' },
      },
      handle: async ({ body, request }) => ({
        status: 200,
        headers: noStore,
        body: await login(ctx, {
          username: body.username,
          password: body.password,
          clientAddress: request.clientAddress,
          userAgent: request.userAgent,
        }),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/refresh',
      operationId: 'refresh',
      summary: 'Exchange a refresh token for a new token pair (rotation)',
      description:
        'Every refresh token works once. Presenting one that was already used revokes the whole ' +
        'session and publishes a session revocation. Refreshing does not extend a session: it ' +
        'ends a fixed time after the sign-in (or password change) that opened it ' +
        '(`SESSION_MAX_LIFETIME_SECONDS`), no token outlives that end, and a refresh after it ' +
        'is refused with `SESSION_EXPIRED`: sign in again.',
      tags: ['accounts'],
      auth: 'none',
      body: refreshBody,
      responses: {
        200: { description: 'New tokens.', schema: tokenPairResponse },
        401: {
          description:
            'Invalid, expired or reused refresh token (`INVALID_REFRESH_TOKEN`, ' +
            '`REFRESH_TOKEN_REUSED`), or the session reached its maximum lifetime ' +
            '(`SESSION_EXPIRED`).',
        },
      },
      handle: async ({ body }) => ({
        status: 200,
        headers: noStore,
        body: await refreshSession(ctx, body.refreshToken),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      operationId: 'logout',
      summary: 'Log out this session',
      description: 'Publishes a session revocation for the token’s `sid`.',
      tags: ['sessions'],
      auth: 'user',
      responses: { 204: { description: 'Logged out.' } },
      handle: async ({ caller }) => {
        await revokeSession(ctx, {
          sessionId: caller.sessionId,
          ownerId: caller.userId,
          reason: 'logout',
          actor: caller.userId,
        });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout-all',
      operationId: 'logoutEverywhere',
      summary: 'Log out everywhere',
      description: 'Ends every session and publishes a subject cutoff (reason `logout-all`).',
      tags: ['sessions'],
      auth: 'user',
      responses: { 204: { description: 'Every session ended.' } },
      handle: async ({ caller }) => {
        await revokeSubject(ctx, {
          userId: caller.userId,
          reason: 'logout-all',
          actor: caller.userId,
        });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/password',
      operationId: 'changePassword',
      summary: 'Change the password',
      description:
        'Ends every other session and publishes a subject cutoff (reason `password-change`). ' +
        'The current session is kept and receives a new token pair.',
      tags: ['accounts'],
      auth: 'user',
      body: passwordChangeBody,
      responses: {
        200: {
          description: 'Password changed; new tokens for this session.',
          schema: tokenPairResponse,
        },
        401: { description: 'The current password is wrong.' },
      },
      handle: async ({ body, caller, request }) => ({
        status: 200,
        headers: noStore,
        body: await changePassword(ctx, {
          userId: caller.userId,
          sessionId: caller.sessionId,
          currentPassword: body.currentPassword,
          newPassword: body.newPassword,
          clientAddress: request.clientAddress,
        }),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/me',
      operationId: 'me',
      summary: 'The signed-in account',
      tags: ['accounts'],
      auth: 'user',
      responses: { 200: { description: 'The account.', schema: accountResponse } },
      handle: async ({ caller }) => {
        const user = await findUserById(ctx.store.db, caller.userId);
        if (user === undefined)
          throw new UserServiceError({ code: 'NOT_FOUND', message: 'no such account' });
        return { status: 200, body: accountView(user) };
      },
    }),
  ];
}
