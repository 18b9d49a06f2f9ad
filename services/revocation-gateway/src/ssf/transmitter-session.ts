/**
 * What a receiver knows of its transmitter: its configuration (discovered once, retried after a
 * failure), its keys, the receiver's bearer token, the push authorization we issued and the
 * audience its SETs must name.
 */
import type { JWTVerifyGetKey } from 'jose';
import type { ProviderConfig, SsfConfig } from '../config/provider-config.js';
import type { GatewayContext } from '../context.js';
import { refuse } from '../signals/refusal.js';
import { remoteKeys } from '../tokens/remote-keys.js';
import { pushAuthorization, savedStream } from './push-authorization.js';
import { ReceiverToken } from './receiver-token.js';
import { fetchSsfConfiguration } from './discovery.js';
import type { SsfConfiguration } from './discovery.js';

/** One provider's transmitter, as its receiver sees it. */
export class TransmitterSession {
  /** The transmitter's keys (its `jwks_uri`). */
  readonly keys: JWTVerifyGetKey;
  readonly token: ReceiverToken;
  private configuration: Promise<SsfConfiguration> | undefined;
  private authorization: Promise<string> | undefined;
  private audience: readonly string[] | undefined;

  /**
   * @example
   * ```ts
   * const session = new TransmitterSession(ctx, provider, provider.ssf, controller.signal);
   * const { issuer } = await session.transmitter();
   * ```
   */
  constructor(
    private readonly ctx: GatewayContext,
    private readonly provider: ProviderConfig,
    private readonly ssf: SsfConfig,
    private readonly signal: AbortSignal,
  ) {
    this.keys = remoteKeys(async () => (await this.transmitter()).jwks_uri);
    this.token = new ReceiverToken(provider, ssf, ctx.now, signal);
  }

  /** The transmitter configuration. */
  transmitter(): Promise<SsfConfiguration> {
    this.configuration ??= fetchSsfConfiguration(
      this.configurationUrl(),
      this.provider.issuer,
      this.signal,
    ).catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  /** Where the transmitter configuration is read. */
  configurationUrl(): string {
    return (
      this.ssf.configurationUrl ??
      `${this.provider.issuer.replace(/\/$/, '')}/.well-known/ssf-configuration`
    );
  }

  /** The push authorization header value issued for this provider (stored in the database). */
  pushAuthorization(): Promise<string> {
    this.authorization ??= pushAuthorization(
      this.ctx.store.db,
      this.provider.name,
      this.ctx.now(),
    ).catch((error: unknown) => {
      this.authorization = undefined;
      throw error;
    });
    return this.authorization;
  }

  /** Remembers the `aud` of the stream set up. */
  streamAudience(audience: readonly string[]): void {
    if (audience.length > 0) this.audience = audience;
  }

  /**
   * What SETs' `aud` must name: the configured audience, else the `aud` of the stream set up
   * (read from the database, so a push that arrives before this instance's own set-up finished
   * is still judged).
   *
   * @throws {@link SignalRefusedError} `KEY_SOURCE_UNAVAILABLE` while no stream is known.
   */
  async expectedAudience(): Promise<string | readonly string[]> {
    if (this.ssf.audience !== undefined) return this.ssf.audience;
    if (this.audience === undefined) {
      const saved = await savedStream(this.ctx.store.db, this.provider.name).catch(() => undefined);
      this.streamAudience(saved?.audience ?? []);
    }
    if (this.audience === undefined) {
      throw refuse('KEY_SOURCE_UNAVAILABLE', 'the stream is not set up yet; retry later');
    }
    return this.audience;
  }
}
