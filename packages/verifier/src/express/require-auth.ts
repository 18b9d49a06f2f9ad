import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { VerifiedToken } from '../claims.js';
import { VerifierError } from '../errors.js';
import {
  admissionFor,
  assertHttpVerifier,
  authenticateRequest,
} from '../lib/authenticate-request.js';
import type { Admission } from '../lib/authenticate-request.js';
import type { Verifier } from '../verifier.js';
import { sendVerifierError } from './respond.js';

declare global {
  // Express' own extension point for request properties.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified access token; set by `requireAuth`, absent on routes without it. */
      auth?: VerifiedToken;
    }
  }
}

/** Options of {@link requireAuth}. */
export interface RequireAuthOptions {
  /** `realm` of the `WWW-Authenticate` challenge. Default: none (the attribute is omitted). */
  readonly realm?: string | undefined;
  /** `Retry-After` sent with 503 (NOT_READY, STALE, JWKS_UNAVAILABLE), in seconds. Default 5. */
  readonly retryAfterSeconds?: number | undefined;
}

const admissions = new WeakMap<Request, Admission>();

/**
 * What the requireAuth that admitted this request settled (realm, Retry-After, the verifier's
 * clock), for the guards behind it; `undefined` when no requireAuth admitted it.
 */
export function admissionOf(req: Request): Admission | undefined {
  return admissions.get(req);
}

/**
 * Express middleware that admits requests bearing a valid, unrevoked access token
 * (`Authorization: Bearer <token>`, RFC 6750) and sets `req.auth`. Refusals are answered here:
 * 401 with a `WWW-Authenticate: Bearer …` challenge, 503 with `Retry-After` while the verifier
 * cannot judge, and the JSON body `{ error: { code, message, requestId? } }` (`requestId` is
 * `req.id` when a request logger such as pino-http set one). Other errors go to `next(err)`.
 *
 * @example
 * ```ts
 * app.get('/me', requireAuth(verifier, { realm: 'game' }), (req, res) => {
 *   res.json({ user: req.auth?.claims.sub });
 * });
 * ```
 * @throws TypeError when `verifier` is not a Verifier or an option is wrong.
 */
export function requireAuth(
  verifier: Pick<Verifier, 'verify' | 'now'>,
  options?: RequireAuthOptions,
): RequestHandler {
  assertHttpVerifier(verifier);
  const admission = admissionFor(verifier, options);
  return (req: Request, res: Response, next: NextFunction): void => {
    authenticateRequest(verifier, req.rawHeaders).then(
      (verified) => {
        req.auth = verified;
        admissions.set(req, admission);
        next();
      },
      (error: unknown) => {
        if (error instanceof VerifierError) sendVerifierError(res, error, admission.refusal);
        else next(error);
      },
    );
  };
}
