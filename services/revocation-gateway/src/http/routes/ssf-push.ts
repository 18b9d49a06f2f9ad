/**
 * `POST /ssf/:provider/events` — RFC 8935 push delivery: `application/secevent+jwt`, the
 * Authorization header we issued (constant-time compare), 202 once the SET's event is committed
 * (a SET already committed is acknowledged again: the transmitter may not have seen our first
 * 202), 400 `{ err, description }` with the RFC's codes otherwise.
 */
import express from 'express';
import type { Request, Response } from 'express';
import type { GatewayContext } from '../../context.js';
import type { ProviderRuntime } from '../../providers.js';
import { refuse } from '../../signals/refusal.js';
import { authorizationMatches } from '../../ssf/push-authorization.js';
import { answerPushRefusal } from '../protocol-answers.js';
import { providerOf, signalErrorHandler } from './signal-route-kit.js';

/** The path, express-style. */
export const SSF_PUSH_PATH = '/ssf/:provider/events';

/**
 * Mounts the route.
 *
 * @example
 * ```ts
 * mountSsfPush(app, ctx, providers);
 * ```
 */
export function mountSsfPush(
  app: express.Express,
  ctx: GatewayContext,
  providers: ReadonlyMap<string, ProviderRuntime>,
): void {
  const handler = async (req: Request, res: Response): Promise<void> => {
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
    if (result.outcome === 'refused') {
      answerPushRefusal(res, result.error);
      return;
    }
    res.status(202).end();
  };
  app.post(
    SSF_PUSH_PATH,
    express.text({ type: 'application/secevent+jwt', limit: ctx.config.http.bodyLimitBytes }),
    handler,
    signalErrorHandler(ctx, providers, 'ssf-push', answerPushRefusal),
  );
}
