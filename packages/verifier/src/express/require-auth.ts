import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { VerifiedToken } from '../claims.js';
import { VerifierError } from '../errors.js';
import { readBearerToken } from '../lib/bearer.js';
import { validateInteger } from '../lib/validate.js';
import type { Verifier } from '../verifier.js';
import { sendVerifierError } from './respond.js';
import type { ErrorResponseOptions } from './respond.js';

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

const DEFAULT_RESPONSE: ErrorResponseOptions = { realm: undefined, retryAfterSeconds: 5 };
const responseOptionsByRequest = new WeakMap<Request, ErrorResponseOptions>();

/** The response options of the requireAuth that admitted this request, for the guards behind it. */
export function responseOptionsOf(req: Request): ErrorResponseOptions {
  return responseOptionsByRequest.get(req) ?? DEFAULT_RESPONSE;
}

function resolveResponseOptions(options: RequireAuthOptions = {}): ErrorResponseOptions {
  if (options.realm !== undefined && typeof options.realm !== 'string') {
    throw new TypeError('realm must be a string');
  }
  return {
    realm: options.realm,
    retryAfterSeconds: validateInteger(options.retryAfterSeconds, 5, 'retryAfterSeconds', 0),
  };
}

/**
 * Express middleware that admits requests bearing a valid, unrevoked access token
 * (`Authorization: Bearer <token>`, RFC 6750) and sets `req.auth`. Refusals are answered here:
 * 401 with a `WWW-Authenticate: Bearer …` challenge, 503 with `Retry-After` while the verifier
 * cannot judge, and the JSON body `{ error: { code, message } }`. Other errors go to `next(err)`.
 *
 * @example
 * ```ts
 * app.get('/me', requireAuth(verifier, { realm: 'game' }), (req, res) => {
 *   res.json({ user: req.auth?.claims.sub });
 * });
 * ```
 */
export function requireAuth(
  verifier: Pick<Verifier, 'verify'>,
  options?: RequireAuthOptions,
): RequestHandler {
  if (verifier === null || typeof verifier !== 'object' || typeof verifier.verify !== 'function') {
    throw new TypeError('verifier must be a Verifier');
  }
  const response = resolveResponseOptions(options);
  return (req: Request, res: Response, next: NextFunction): void => {
    let token: string;
    try {
      // Node keeps only the first Authorization header in req.headers; headersDistinct has all.
      token = readBearerToken(req.headersDistinct.authorization);
    } catch (error) {
      if (error instanceof VerifierError) sendVerifierError(res, error, response);
      else next(error);
      return;
    }
    verifier.verify(token).then(
      (verified) => {
        req.auth = verified;
        responseOptionsByRequest.set(req, response);
        next();
      },
      (error: unknown) => {
        if (error instanceof VerifierError) sendVerifierError(res, error, response);
        else next(error);
      },
    );
  };
}
