/**
 * `POST /backchannel-logout/:provider` — OpenID Connect Back-Channel Logout 1.0 §2.5–2.8: a
 * form-encoded `logout_token`, validated as §2.6 requires, answered 200 only once its event is
 * committed to the outbox; 400 `{ error: 'invalid_request', error_description }` otherwise; a
 * replayed `jti` is refused (§2.6 step 10), also after a restart.
 */
import express from 'express';
import { definePublicRoute } from '@revocation-fabric/service-runtime';
import type { Route } from '@revocation-fabric/service-runtime';
import type { GatewayContext } from '../../context.js';
import type { ProviderRuntime } from '../../providers.js';
import { handleSignal } from '../../signals/handle-signal.js';
import { refuse } from '../../signals/refusal.js';
import { verifyLogoutToken } from '../../tokens/verify-logout-token.js';
import { logoutError, logoutRefusal, providerParameter } from '../protocol-answers.js';
import { providerOf, signalErrorAnswer } from './signal-route-kit.js';

/**
 * The route.
 *
 * @example
 * ```ts
 * const route = backchannelLogoutRoute(ctx, providers);
 * ```
 */
export function backchannelLogoutRoute(
  ctx: GatewayContext,
  providers: ReadonlyMap<string, ProviderRuntime>,
): Route<never> {
  return definePublicRoute({
    method: 'post',
    path: '/backchannel-logout/:provider',
    operationId: 'backchannelLogout',
    summary: 'Receive a logout token (OpenID Connect Back-Channel Logout 1.0)',
    tags: ['signals'],
    auth: 'none',
    before: [
      express.urlencoded({
        extended: false,
        limit: ctx.config.http.bodyLimitBytes,
        parameterLimit: 10,
      }),
    ],
    parameters: [providerParameter],
    requestBody: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: {
            type: 'object',
            required: ['logout_token'],
            properties: {
              logout_token: { type: 'string', description: 'The signed logout token.' },
            },
          },
        },
      },
    },
    responses: {
      200: {
        description: 'Accepted: the revocation is committed to the outbox.',
        headers: { 'Cache-Control': { schema: { const: 'no-store' } } },
      },
      400: logoutError('The logout token failed a validation rule (§2.6), or was replayed.'),
      404: logoutError('No such provider, or back-channel logout is not enabled for it.'),
      413: logoutError('Body larger than the limit.'),
      503: logoutError('The provider’s keys are out of reach; retry later.'),
    },
    answerError: signalErrorAnswer(ctx, providers, 'backchannel', logoutRefusal),
    handle: async ({ req }) => {
      const runtime = providerOf(providers, req);
      const logout = runtime.config.backchannelLogout;
      if (logout === undefined)
        throw refuse('CHANNEL_NOT_ENABLED', 'back-channel logout is not enabled for this provider');
      if (!req.is('application/x-www-form-urlencoded')) {
        throw refuse(
          'UNSUPPORTED_MEDIA_TYPE',
          'the body must be application/x-www-form-urlencoded',
        );
      }
      const token = (req.body as Record<string, unknown> | undefined)?.['logout_token'];
      if (typeof token !== 'string' || token === '') {
        throw refuse('MALFORMED_BODY', 'the body must carry exactly one logout_token');
      }
      const result = await handleSignal(ctx, runtime.config, 'backchannel', () =>
        verifyLogoutToken(token, {
          keys: runtime.logoutKeys,
          algorithms: runtime.config.algorithms,
          issuer: runtime.config.issuer,
          clientId: logout.clientId,
          now: ctx.now(),
          maxAgeMs: runtime.config.maxSignalAgeMs,
          clockToleranceMs: ctx.config.clockToleranceMs,
        }),
      );
      if (result.outcome === 'refused') return logoutRefusal(result.error);
      if (result.outcome === 'duplicate')
        return logoutRefusal(refuse('JTI_REPLAYED', 'this logout token was already received'));
      return { status: 200, headers: { 'Cache-Control': 'no-store' } };
    },
  });
}
