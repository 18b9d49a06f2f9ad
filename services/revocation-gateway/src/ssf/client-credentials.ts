/**
 * The receiver's bearer token from the client-credentials grant (RFC 6749 §4.4,
 * client_secret_post). Caching and renewal are {@link ReceiverToken}'s.
 */
import { z } from 'zod';
import { absentOrNull, parseAnswer, request } from './transmitter-request.js';

const tokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  expires_in: absentOrNull(z.number().positive()),
});

/**
 * Obtains a bearer token with the client-credentials grant.
 *
 * @example
 * ```ts
 * const { accessToken, expiresInMs } = await clientCredentialsToken(tokenUrl, 'gateway', secret);
 * ```
 */
export async function clientCredentialsToken(
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  signal?: AbortSignal,
): Promise<{ accessToken: string; expiresInMs: number | undefined }> {
  const { body } = await request('token', tokenUrl, {
    method: 'POST',
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    signal,
  });
  const answer = parseAnswer('token', tokenAnswer, body);
  return {
    accessToken: answer.access_token,
    expiresInMs: answer.expires_in === undefined ? undefined : answer.expires_in * 1000,
  };
}
