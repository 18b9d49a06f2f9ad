/**
 * `POST /ssf/:provider/events` — RFC 8935 push delivery: `application/secevent+jwt`, the
 * Authorization header we issued (constant-time compare), 202 once the SET's event is committed
 * (a SET already committed is acknowledged again: the transmitter may not have seen our first
 * 202), 400 `{ err, description }` with the RFC's codes otherwise.
 */
import express from 'express';
import { definePublicRoute } from '@revocation-fabric/service-runtime';
import type { Route } from '@revocation-fabric/service-runtime';
import type { GatewayContext } from '../../context.js';
import type { ProviderRuntime } from '../../providers.js';
import { refuse } from '../../signals/refusal.js';
import { authorizationMatches } from '../../ssf/push-authorization.js';
import { providerParameter, pushError, pushRefusal } from '../protocol-answers.js';
import { providerOf, signalErrorAnswer } from './signal-route-kit.js';

/** The security scheme of the push route, for the document. */
export const pushSecurityScheme = {
  pushAuthorization: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'The `authorization_header` the gateway gave the transmitter when it set up the stream.',
  },
};

/**
 * The route.
 *
 * @example
 * ```ts
 * const route = ssfPushRoute(ctx, providers);
 * ```
 */
export function ssfPushRoute(
  ctx: GatewayContext,
  providers: ReadonlyMap<string, ProviderRuntime>,
): Route<never> {
  return definePublicRoute({
    method: 'post',
    path: '/ssf/:provider/events',
    operationId: 'ssfPush',
    summary: 'Receive a pushed Security Event Token (RFC 8935)',
    tags: ['signals'],
    auth: 'none',
    before: [
      express.text({ type: 'application/secevent+jwt', limit: ctx.config.http.bodyLimitBytes }),
    ],
    parameters: [providerParameter],
    security: [{ pushAuthorization: [] }],
    requestBody: {
      required: true,
      content: { 'application/secevent+jwt': { schema: { type: 'string' } } },
    },
    responses: {
      202: { description: 'Accepted: committed (or already committed: a redelivery).' },
      400: pushError('The SET failed a validation rule, or its subject cannot be mapped.'),
      401: pushError('The Authorization header is not the one the gateway issued.'),
      404: pushError('No such provider, or push is not enabled for it.'),
      413: pushError('Body larger than the limit.'),
      503: pushError('The transmitter’s keys are out of reach; retry later.'),
    },
    answerError: signalErrorAnswer(ctx, providers, 'ssf-push', pushRefusal),
    handle: async ({ req }) => {
      const runtime = providerOf(providers, req);
      const receiver = runtime.ssf;
      if (receiver?.ssf.delivery !== 'push') {
        throw refuse('CHANNEL_NOT_ENABLED', 'SSF push delivery is not enabled for this provider');
      }
      if (!authorizationMatches(await receiver.pushAuthorization(), req.headers.authorization)) {
        throw refuse(
          'AUTHENTICATION_FAILED',
          'the Authorization header is not the one this receiver issued',
        );
      }
      if (!req.is('application/secevent+jwt')) {
        throw refuse('UNSUPPORTED_MEDIA_TYPE', 'the body must be application/secevent+jwt');
      }
      const body: unknown = req.body;
      if (typeof body !== 'string' || body.trim() === '')
        throw refuse('MALFORMED_BODY', 'the body must be one SET');
      const result = await receiver.receive(body.trim(), 'ssf-push');
      if (result.outcome === 'refused') return pushRefusal(result.error);
      return { status: 202 };
    },
  });
}
