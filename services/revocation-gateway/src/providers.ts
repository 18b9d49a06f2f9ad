/**
 * The configured providers at run time: each with its logout-token keys (the configured
 * `jwksUrl`, else the issuer's discovered `jwks_uri`) and its SSF receiver, if any.
 */
import type { JWTVerifyGetKey } from 'jose';
import type { ProviderConfig } from './config/provider-config.js';
import type { GatewayContext } from './context.js';
import { SsfReceiver } from './ssf/ssf-receiver.js';
import { fetchOpenIdConfiguration } from './ssf/discovery.js';
import { remoteKeys } from './tokens/remote-keys.js';

/** One provider at run time. */
export interface ProviderRuntime {
  readonly config: ProviderConfig;
  /** Keys logout tokens are verified with. */
  readonly logoutKeys: JWTVerifyGetKey;
  readonly ssf: SsfReceiver | undefined;
}

/**
 * Builds the run-time providers, keyed by name.
 *
 * @example
 * ```ts
 * const providers = providerRuntimes(ctx);
 * providers.get('keycloak')?.ssf?.start();
 * ```
 */
export function providerRuntimes(ctx: GatewayContext): ReadonlyMap<string, ProviderRuntime> {
  const runtimes = new Map<string, ProviderRuntime>();
  for (const config of ctx.config.providers) {
    const { jwksUrl } = config;
    runtimes.set(config.name, {
      config,
      logoutKeys: remoteKeys(
        async () => jwksUrl ?? (await fetchOpenIdConfiguration(config.issuer)).jwks_uri,
      ),
      ssf: config.ssf === undefined ? undefined : new SsfReceiver(ctx, config, config.ssf),
    });
  }
  return runtimes;
}
