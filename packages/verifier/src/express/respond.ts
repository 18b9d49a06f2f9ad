import type { Request, Response } from 'express';
import type { VerifierError } from '../errors.js';
import { refusalOf } from '../lib/refusal.js';
import type { RefusalOptions } from '../lib/refusal.js';

/**
 * The id a request logger gave the request, if any: `req.id`, where pino-http and most
 * request-id middlewares put it (express itself assigns none).
 */
function requestIdOf(req: Request): string | undefined {
  const id: unknown = 'id' in req ? req.id : undefined;
  if (typeof id === 'string') return id;
  return typeof id === 'number' ? String(id) : undefined;
}

/**
 * Answers a refused request with the shared refusal (`lib/refusal.ts`): status, challenge,
 * `Retry-After` for 503, and the fabric's one error body as JSON.
 */
export function sendVerifierError(
  res: Response,
  error: VerifierError,
  options: RefusalOptions,
): void {
  const { status, headers, body } = refusalOf(error, options, requestIdOf(res.req));
  res.set(headers);
  res.status(status).json(body);
}
