/**
 * Admin endpoints: every revocation an operator may need. All require an access token with the
 * `admin` role (see admin-auth.ts); the acting admin's id becomes each event's `actor`.
 */
import { accountView, findUserById } from '../../accounts/users.js';
import type { ServiceContext } from '../../context.js';
import { UserServiceError } from '../../errors.js';
import { restrictAccount, unrestrictAccount } from '../../revocations/account-status.js';
import { changeRoles } from '../../revocations/change-roles.js';
import { emergencyCutoff } from '../../revocations/emergency-cutoff.js';
import { revokeKey } from '../../revocations/revoke-key.js';
import { revokeSession } from '../../revocations/revoke-session.js';
import { revokeSubject } from '../../revocations/revoke-subject.js';
import { revokeToken } from '../../revocations/revoke-token.js';
import { verifyAccessTokenSignature } from '../../tokens/verify-access-token.js';
import type { Route } from '../route.js';
import { defineRoute } from '../route.js';
import {
  accountResponse,
  emergencyBody,
  emergencyResponse,
  keyParams,
  keyRevocationResponse,
  keyRotationResponse,
  keysResponse,
  rolesBody,
  rolesResponse,
  sessionParams,
  suspendBody,
  tokenRevocationBody,
  tokenRevocationResponse,
  userParams,
} from '../schemas.js';

const tags = ['admin'];
const noSuchUser = { 404: { description: 'No such user.' } };

/** Routes under `/admin`. */
export function adminRoutes(ctx: ServiceContext): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/admin/users/:userId',
      operationId: 'adminGetUser',
      summary: 'Read an account',
      tags,
      auth: 'admin',
      params: userParams,
      responses: { 200: { description: 'The account.', schema: accountResponse }, ...noSuchUser },
      handle: async ({ params }) => {
        const user = await findUserById(ctx.store.db, params.userId);
        if (user === undefined)
          throw new UserServiceError({ code: 'NOT_FOUND', message: 'no such user' });
        return { status: 200, body: accountView(user) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/admin/users/:userId/ban',
      operationId: 'banUser',
      summary: 'Ban an account',
      description: 'Refuses logins and refreshes; publishes a subject cutoff (reason `ban`).',
      tags,
      auth: 'admin',
      params: userParams,
      responses: { 204: { description: 'Banned.' }, ...noSuchUser },
      handle: async ({ params, caller }) => {
        await restrictAccount(ctx, { userId: params.userId, actor: caller.userId, kind: 'ban' });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/admin/users/:userId/suspend',
      operationId: 'suspendUser',
      summary: 'Suspend an account, optionally until a time',
      description:
        'Like a ban, ending by itself at `until`; publishes a subject cutoff (reason `ban`).',
      tags,
      auth: 'admin',
      params: userParams,
      body: suspendBody,
      responses: { 204: { description: 'Suspended.' }, ...noSuchUser },
      handle: async ({ params, body, caller }) => {
        await restrictAccount(ctx, {
          userId: params.userId,
          actor: caller.userId,
          kind: 'suspend',
          until: body.until,
        });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/admin/users/:userId/unban',
      operationId: 'unbanUser',
      summary: 'Lift a ban or suspension',
      description: 'Publishes nothing: rules are never undone; new logins simply work again.',
      tags,
      auth: 'admin',
      params: userParams,
      responses: { 204: { description: 'Lifted.' }, ...noSuchUser },
      handle: async ({ params }) => {
        await unrestrictAccount(ctx, params.userId);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/admin/users/:userId/roles',
      operationId: 'setRoles',
      summary: 'Replace an account’s roles',
      description:
        'Publishes a subject cutoff (reason `role-change`) so tokens with the old roles die.',
      tags,
      auth: 'admin',
      params: userParams,
      body: rolesBody,
      responses: {
        200: { description: 'Roles now in force.', schema: rolesResponse },
        ...noSuchUser,
      },
      handle: async ({ params, body, caller }) => ({
        status: 200,
        body: {
          roles: await changeRoles(ctx, {
            userId: params.userId,
            roles: body.roles,
            actor: caller.userId,
          }),
        },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/users/:userId/revoke',
      operationId: 'revokeSubject',
      summary: 'Revoke every token and session of an account',
      description: 'Publishes a subject cutoff (reason `admin`).',
      tags,
      auth: 'admin',
      params: userParams,
      responses: { 204: { description: 'Revoked.' }, ...noSuchUser },
      handle: async ({ params, caller }) => {
        await revokeSubject(ctx, { userId: params.userId, reason: 'admin', actor: caller.userId });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/admin/sessions/:sid',
      operationId: 'revokeAnySession',
      summary: 'Revoke one session',
      description: 'Publishes a session revocation (reason `admin`).',
      tags,
      auth: 'admin',
      params: sessionParams,
      responses: { 204: { description: 'Revoked.' }, 404: { description: 'No such session.' } },
      handle: async ({ params, caller }) => {
        await revokeSession(ctx, { sessionId: params.sid, reason: 'admin', actor: caller.userId });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/admin/tokens/revoke',
      operationId: 'revokeToken',
      summary: 'Revoke one access token',
      description:
        'Give the token itself (its signature is checked, its `jti` and `exp` read) or its `jti`. ' +
        'Publishes a token revocation (reason `admin`).',
      tags,
      auth: 'admin',
      body: tokenRevocationBody,
      responses: {
        200: { description: 'Revoked.', schema: tokenRevocationResponse },
      },
      handle: async ({ body, caller }) => {
        let jti: string;
        let expiresAt: number | undefined;
        if ('token' in body) {
          const verified = await verifyAccessTokenSignature(ctx, body.token).catch(() => {
            throw new UserServiceError({
              code: 'INVALID_REQUEST',
              message: 'not a live access token of this issuer',
              fields: [{ path: 'body.token', message: 'not a live access token of this issuer' }],
            });
          });
          jti = verified.claims.jti;
          expiresAt = verified.claims.exp * 1000;
        } else {
          jti = body.jti;
          expiresAt = body.expiresAt;
        }
        const published = await revokeToken(ctx, { jti, expiresAt, actor: caller.userId });
        return { status: 200, body: { jti, expiresAt: published } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/keys',
      operationId: 'listKeys',
      summary: 'List signing keys and their status',
      tags,
      auth: 'admin',
      responses: { 200: { description: 'Every key.', schema: keysResponse } },
      handle: async () => {
        const rows = await ctx.store.db
          .selectFrom('signingKeys')
          .select(['kid', 'status', 'createdAt', 'activatedAt', 'retiredAt', 'revokedAt'])
          .orderBy('createdAt', 'desc')
          .execute();
        return { status: 200, body: { keys: rows } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/admin/keys/rotate',
      operationId: 'rotateKey',
      summary: 'Rotate the signing key',
      description:
        'The pre-published next key starts signing and a new next key is published; the old key ' +
        'stays published until every token it signed has expired.',
      tags,
      auth: 'admin',
      responses: { 200: { description: 'Rotated.', schema: keyRotationResponse } },
      handle: async () => ({ status: 200, body: { activeKid: await ctx.keys.rotate(ctx.now()) } }),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/keys/:kid/revoke',
      operationId: 'revokeKey',
      summary: 'Revoke a compromised signing key (and rotate)',
      description:
        'The key leaves the JWKS at once; publishes a key revocation (reason `key-compromise`).',
      tags,
      auth: 'admin',
      params: keyParams,
      responses: {
        200: { description: 'Revoked.', schema: keyRevocationResponse },
        404: { description: 'No such key.' },
      },
      handle: async ({ params, caller }) => ({
        status: 200,
        body: await revokeKey(ctx, { kid: params.kid, actor: caller.userId }),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/emergency-cutoff',
      operationId: 'emergencyCutoff',
      summary: 'Reject every access token issued so far (emergency brake)',
      description: 'Publishes a global cutoff (reason `emergency`).',
      tags,
      auth: 'admin',
      body: emergencyBody,
      responses: { 200: { description: 'Applied.', schema: emergencyResponse } },
      handle: async ({ body, caller }) => ({
        status: 200,
        body: {
          generation: await emergencyCutoff(ctx, {
            actor: caller.userId,
            endSessions: body.endSessions,
          }),
        },
      }),
    }),
  ];
}
