import { UnexpectedResponseError } from '../errors.js';
import type { KeycloakAnswer } from '../lib/keycloak-http.js';

/**
 * The id of a resource Keycloak just created: the last segment of the 201's `Location`.
 *
 * @throws {UnexpectedResponseError} no usable Location header.
 */
export function createdId(answer: KeycloakAnswer, path: string): string {
  const id = answer.location?.split('/').at(-1);
  if (id === undefined || id === '') throw new UnexpectedResponseError(path, 'no Location header');
  return decodeURIComponent(id);
}
