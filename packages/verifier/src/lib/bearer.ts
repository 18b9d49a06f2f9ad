import { TokenMalformedError, TokenMissingError } from '../errors.js';

/** RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** `Bearer` (any case), one or more spaces, the credentials. */
const BEARER = /^bearer +(.*)$/is;

/**
 * Extracts the bearer token from the `Authorization` header values of one request.
 *
 * @param values - every `Authorization` header the request carried, in order (Node keeps only
 *   the first in `req.headers`; pass `req.headersDistinct.authorization`).
 * @throws {@link TokenMissingError} when there is no `Authorization` header,
 *   {@link TokenMalformedError} (`part: 'request'`) when there are several, when the scheme is
 *   not Bearer, or when the credentials are not exactly one b64token.
 */
export function readBearerToken(values: readonly string[] | string | undefined): string {
  const list = typeof values === 'string' ? [values] : (values ?? []);
  if (list.length === 0) throw new TokenMissingError();
  if (list.length > 1) {
    throw new TokenMalformedError({ message: 'several Authorization headers', part: 'request' });
  }
  const header = (list[0] ?? '').trim();
  if (header.length === 0) throw new TokenMissingError();
  const match = BEARER.exec(header);
  if (match === null) {
    throw new TokenMalformedError({
      message: 'Authorization header is not of the form "Bearer <token>"',
      part: 'request',
    });
  }
  const credentials = match[1] ?? '';
  if (!B64TOKEN.test(credentials)) {
    throw new TokenMalformedError({
      message: 'bearer credentials must be exactly one token of the RFC 6750 b64token characters',
      part: 'request',
    });
  }
  return credentials;
}

/**
 * Every `Authorization` header of one request, in order, read from Node's flat `rawHeaders`
 * (`[name, value, name, value, …]`). Node keeps only the first in `headers`, and request
 * injectors (fastify's `inject`) build no `headersDistinct`; `rawHeaders` is what every
 * framework's request has.
 */
export function authorizationHeaders(rawHeaders: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (name.length === 13 && name.toLowerCase() === 'authorization') {
      values.push(rawHeaders[i + 1] ?? '');
    }
  }
  return values;
}
