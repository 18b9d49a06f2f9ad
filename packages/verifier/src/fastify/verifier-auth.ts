import type { FastifyPluginCallback, FastifyRequest, onRequestHookHandler } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { VerifiedToken } from '../claims.js';
import { VerifierError } from '../errors.js';
import {
  admissionFor,
  assertHttpVerifier,
  authenticateRequest,
} from '../lib/authenticate-request.js';
import type { Admission } from '../lib/authenticate-request.js';
import type { Verifier } from '../verifier.js';
import { sendRefusal } from './respond.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access token; set by `requireAuth`, absent on routes without it. */
    auth?: VerifiedToken;
  }
  interface FastifyInstance {
    /**
     * `onRequest` hook that admits requests bearing a valid, unrevoked access token and sets
     * `request.auth`; added by {@link verifierAuth}.
     */
    requireAuth: onRequestHookHandler;
  }
}

/**
 * Options of {@link verifierAuth}, checked once when the plugin is registered.
 *
 * @example
 * ```ts
 * const options: VerifierAuthOptions = { verifier, realm: 'game', retryAfterSeconds: 5 };
 * await app.register(verifierAuth, options);
 * ```
 */
export interface VerifierAuthOptions {
  /** The verifier that judges every token (`createVerifier(…)`). Required. */
  readonly verifier: Pick<Verifier, 'verify' | 'now'>;
  /** `realm` of the `WWW-Authenticate` challenge. Default: none (the attribute is omitted). */
  readonly realm?: string | undefined;
  /** `Retry-After` sent with 503 (NOT_READY, STALE, JWKS_UNAVAILABLE), in seconds. Default 5. */
  readonly retryAfterSeconds?: number | undefined;
}

const admissions = new WeakMap<FastifyRequest, Admission>();

/**
 * What the requireAuth that admitted this request settled (realm, Retry-After, the verifier's
 * clock), for the guards behind it; `undefined` when no requireAuth admitted it.
 */
export function admissionOf(request: FastifyRequest): Admission | undefined {
  return admissions.get(request);
}

const plugin: FastifyPluginCallback<VerifierAuthOptions> = (instance, options, done) => {
  let admission: Admission;
  try {
    assertHttpVerifier(options.verifier);
    admission = admissionFor(options.verifier, options);
  } catch (error) {
    done(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  const { verifier } = options;

  // Callback style, as the express middleware: a cache hit comes back already settled, and an
  // async hook would add a promise per request for nothing.
  const requireAuth: onRequestHookHandler = (request, reply, next) => {
    authenticateRequest(verifier, request.raw.rawHeaders).then(
      (verified) => {
        request.auth = verified;
        admissions.set(request, admission);
        next();
      },
      (error: unknown) => {
        // Replying without calling `next` ends the hook chain (fastify's documented way for
        // an authentication hook); anything unexpected goes to fastify's error handler.
        if (error instanceof VerifierError) sendRefusal(reply, error, admission.refusal);
        else next(error instanceof Error ? error : new Error(String(error)));
      },
    );
  };

  instance.decorate('requireAuth', requireAuth);
  // Declared up front, so every request object keeps one shape (fastify's advice); a scope
  // inside one that registered the plugin already has it.
  if (!instance.hasRequestDecorator('auth')) instance.decorateRequest('auth', undefined);
  done();
};

/**
 * Fastify plugin that verifies access tokens with a verifier. Wrapped with `fastify-plugin`, so
 * what it adds reaches the scope that registers it:
 *
 * - `app.requireAuth`, an `onRequest` hook admitting requests that bear a valid, unrevoked
 *   token (`Authorization: Bearer <token>`, RFC 6750) and setting `request.auth`. Put it on a
 *   route (`{ onRequest: app.requireAuth }`) or on a whole scope
 *   (`scope.addHook('onRequest', scope.requireAuth)`).
 * - `request.auth: VerifiedToken | undefined`, typed by declaration merging.
 *
 * Refusals are answered by the hook itself, exactly as the express adapter answers them: 401
 * with a `WWW-Authenticate: Bearer …` challenge, 503 with `Retry-After` while the verifier
 * cannot judge, `Cache-Control: no-store`, and the fabric's one error body
 * `{ error: { code, message, requestId } }` (`requestId` is fastify's `request.id`). Any other
 * error goes to fastify's error handler. Options are checked at registration: a wrong one
 * fails `register` with a `TypeError` naming it.
 *
 * @example
 * ```ts
 * await app.register(verifierAuth, { verifier, realm: 'game' });
 * app.get('/me', { onRequest: app.requireAuth }, async (request) => ({ sub: request.auth?.claims.sub }));
 * ```
 */
export const verifierAuth = fastifyPlugin(plugin, {
  name: '@revocation-fabric/verifier/fastify',
  fastify: '5.x',
});
