/**
 * The receiver's bearer token for the transmitter's management and poll endpoints: the
 * client-credentials grant at the configured token URL (else the issuer's discovered
 * `token_endpoint`), kept until 30 s before it expires and dropped when the transmitter answers
 * 401.
 */
import type { ProviderConfig, SsfConfig } from '../config/provider-config.js';
import { clientCredentialsToken } from './client-credentials.js';
import { fetchOpenIdConfiguration } from './discovery.js';

/** Renew this long before expiry, so a token never expires between our check and the transmitter's. */
const RENEW_EARLY_MS = 30_000;
/** Assumed lifetime when the token answer names none. */
const DEFAULT_LIFETIME_MS = 60_000;

/** A cached client-credentials token. */
export class ReceiverToken {
  private token: { readonly value: string; readonly until: number } | undefined;

  /**
   * @example
   * ```ts
   * const token = new ReceiverToken(provider, provider.ssf, () => Date.now());
   * const bearer = await token.get();
   * ```
   */
  constructor(
    private readonly provider: ProviderConfig,
    private readonly ssf: SsfConfig,
    private readonly now: () => number,
    private readonly signal?: AbortSignal,
  ) {}

  /** A valid token, fetched if none is cached. */
  async get(): Promise<string> {
    const now = this.now();
    if (this.token !== undefined && this.token.until > now) return this.token.value;
    const tokenUrl =
      this.ssf.tokenUrl ??
      (await fetchOpenIdConfiguration(this.provider.issuer, this.signal)).token_endpoint;
    if (tokenUrl === undefined) {
      throw new Error('no ssf.tokenUrl configured and the issuer announces no token_endpoint');
    }
    const { accessToken, expiresInMs } = await clientCredentialsToken(
      tokenUrl,
      this.ssf.clientId,
      this.ssf.clientSecret,
      this.signal,
    );
    this.token = {
      value: accessToken,
      until: now + Math.max(0, (expiresInMs ?? DEFAULT_LIFETIME_MS) - RENEW_EARLY_MS),
    };
    return accessToken;
  }

  /** Forgets the cached token (the transmitter refused it). */
  forget(): void {
    this.token = undefined;
  }
}
