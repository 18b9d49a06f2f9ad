/**
 * A provider's keys, fetched from a JWKS URL that may itself have to be discovered first (the
 * issuer's `jwks_uri`, or the SSF transmitter's). jose caches the set and refetches on an
 * unknown `kid` (after a cooldown), so a provider's key rotation needs nothing from us. A failed
 * discovery is retried on the next token rather than remembered.
 */
import { createRemoteJWKSet } from 'jose';
import type { JWTVerifyGetKey } from 'jose';

/** Options of {@link remoteKeys}. */
export interface RemoteKeysOptions {
  /** ms between refetches triggered by an unknown `kid`. Default 30 000. */
  readonly cooldownMs?: number;
  /** ms a fetched set is trusted. Default 600 000. */
  readonly cacheMaxAgeMs?: number;
}

/**
 * A jose key resolver over a JWKS whose URL `resolveUrl` finds.
 *
 * @example
 * ```ts
 * const keys = remoteKeys(async () => (await fetchOpenIdConfiguration(issuer)).jwks_uri);
 * await jwtVerify(token, keys, { algorithms: ['RS256'] });
 * ```
 */
export function remoteKeys(
  resolveUrl: () => Promise<string>,
  options: RemoteKeysOptions = {},
): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const load = (): Promise<JWTVerifyGetKey> => {
    keys ??= resolveUrl().then(
      (url) =>
        createRemoteJWKSet(new URL(url), {
          cooldownDuration: options.cooldownMs ?? 30_000,
          cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
          timeoutDuration: 5000,
        }),
      (error: unknown) => {
        keys = undefined;
        throw error;
      },
    );
    return keys;
  };
  return async (header, token) => (await load())(header, token);
}
