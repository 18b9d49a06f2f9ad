/**
 * `POST /backchannel-logout/:provider` — OpenID Connect Back-Channel Logout 1.0 §2.5–2.8: a
 * form-encoded `logout_token`, validated as §2.6 requires, answered 200 only once its event is
 * committed to the outbox; 400 `{ error: 'invalid_request', error_description }` otherwise; a
 * replayed `jti` is refused (§2.6 step 10), also after a restart.
 */
import express from 'express';
import type { Request, Response } from 'express';
import type { GatewayContext } from '../../context.js';
import type { ProviderRuntime } from '../../providers.js';
import { handleSignal } from '../../signals/handle-signal.js';
import { refuse } from '../../signals/refusal.js';
import { verifyLogoutToken } from '../../tokens/verify-logout-token.js';
import { answerLogoutRefusal } from '../protocol-answers.js';
import { providerOf, signalErrorHandler } from './signal-route-kit.js';

/** The path, express-style. */
export const BACKCHANNEL_LOGOUT_PATH = '/backchannel-logout/:provider';

/**
 * Mounts the route.
 *
 * @example
 * ```ts
 * mountBackchannelLogout(app, ctx, providers);
 * ```
 */
export function mountBackchannelLogout(
  app: express.Express,
  ctx: GatewayContext,
  providers: ReadonlyMap<string, ProviderRuntime>,
): void {
  const handler = async (req: Request, res: Response): Promise<void> => {
    const runtime = providerOf(providers, req);
    const logout = runtime.config.backchannelLogout;
    if (logout === undefined)
      throw refuse('CHANNEL_NOT_ENABLED', 'back-channel logout is not enabled for this provider');
    if (!req.is('application/x-www-form-urlencoded')) {
      throw refuse('UNSUPPORTED_MEDIA_TYPE', 'the body must be application/x-www-form-urlencoded');
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
    if (result.outcome === 'refused') {
      answerLogoutRefusal(res, result.error);
      return;
    }
    if (result.outcome === 'duplicate') {
      answerLogoutRefusal(res, refuse('JTI_REPLAYED', 'this logout token was already received'));
      return;
    }
    res.status(200).setHeader('Cache-Control', 'no-store').end();
  };
  app.post(
    BACKCHANNEL_LOGOUT_PATH,
    express.urlencoded({
      extended: false,
      limit: ctx.config.http.bodyLimitBytes,
      parameterLimit: 10,
    }),
    handler,
    signalErrorHandler(ctx, providers, 'backchannel', answerLogoutRefusal),
  );
}
