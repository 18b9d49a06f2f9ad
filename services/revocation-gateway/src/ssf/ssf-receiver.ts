/**
 * One provider's SSF receiver: the transmitter's configuration and keys (discovered), the
 * receiver's bearer token, the stream (set up in the background with backoff, so a transmitter
 * that is down delays nothing else), the verification request, and for poll delivery the poll
 * loop. Push SETs arrive through the HTTP route, which asks this receiver to verify them.
 */
import { randomBytes } from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';
import type { ProviderConfig, SsfConfig } from '../config/provider-config.js';
import type { GatewayContext } from '../context.js';
import { handleSignal } from '../signals/handle-signal.js';
import type { SignalOutcome } from '../signals/handle-signal.js';
import type { SignalSource } from '../signals/signal.js';
import { EVENT_TYPES } from '../signals/mapping.js';
import { refuse } from '../signals/refusal.js';
import { remoteKeys } from '../tokens/remote-keys.js';
import { verifySet } from '../tokens/verify-set.js';
import { abortableWait, startPollLoop } from './poll-loop.js';
import type { PollLoop } from './poll-loop.js';
import { pushAuthorization, saveStreamId, savedStream } from './push-authorization.js';
import { setUpStream } from './stream-setup.js';
import {
  TransmitterRequestError,
  clientCredentialsToken,
  fetchOpenIdConfiguration,
  fetchSsfConfiguration,
  pollEvents,
  requestVerification,
} from './transmitter-client.js';
import type { SsfConfiguration } from './transmitter-client.js';

/** Where a receiver's stream stands. */
export type StreamState = 'starting' | 'registered' | 'verified' | 'failed' | 'stopped';

/** What readiness reports of a receiver. */
export interface ReceiverStatus {
  readonly delivery: 'push' | 'poll';
  readonly state: StreamState;
  readonly streamId: string | undefined;
  readonly lastError: string | undefined;
}

/** One provider's SSF receiver. */
export class SsfReceiver {
  readonly keys: JWTVerifyGetKey;
  private configuration: Promise<SsfConfiguration> | undefined;
  private token: { value: string; until: number } | undefined;
  private authorization: Promise<string> | undefined;
  private state: StreamState = 'starting';
  private streamId: string | undefined;
  private audience: readonly string[] | undefined;
  private lastError: string | undefined;
  private verificationState: string | undefined;
  private readonly controller = new AbortController();
  private setup: Promise<void> | undefined;
  private loop: PollLoop | undefined;

  constructor(
    private readonly ctx: GatewayContext,
    readonly provider: ProviderConfig,
    readonly ssf: SsfConfig,
  ) {
    this.keys = remoteKeys(async () => (await this.transmitter()).jwks_uri);
  }

  /** The transmitter configuration, discovered once (retried after a failure). */
  transmitter(): Promise<SsfConfiguration> {
    const url =
      this.ssf.configurationUrl ??
      `${this.provider.issuer.replace(/\/$/, '')}/.well-known/ssf-configuration`;
    this.configuration ??= fetchSsfConfiguration(url).catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  /** The push authorization header value issued for this provider. */
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

  /** Verifies, maps and commits one SET. */
  async receive(set: string, source: SignalSource): Promise<SignalOutcome> {
    return handleSignal(this.ctx, this.provider, source, async () => {
      let issuer: string;
      try {
        issuer = (await this.transmitter()).issuer;
      } catch (error) {
        throw refuse(
          'KEY_SOURCE_UNAVAILABLE',
          'the transmitter configuration is unavailable; retry later',
          error,
        );
      }
      const audience = await this.expectedAudience();
      const signal = await verifySet(set, {
        keys: this.keys,
        algorithms: this.provider.algorithms,
        issuer,
        audience,
        now: this.ctx.now(),
        maxAgeMs: this.ssf.maxSetAgeMs,
        clockToleranceMs: this.ctx.config.clockToleranceMs,
      });
      if (
        signal.eventType === EVENT_TYPES.verification &&
        signal.event['state'] === this.verificationState
      ) {
        this.state = 'verified';
      }
      return signal;
    });
  }

  /**
   * What SETs' `aud` must name: the configured audience, else the `aud` of the stream set up
   * (remembered in the database, so a push that arrives before this instance's own set-up
   * finished is still judged).
   */
  private async expectedAudience(): Promise<string | readonly string[]> {
    if (this.ssf.audience !== undefined) return this.ssf.audience;
    if (this.audience === undefined) {
      const saved = await savedStream(this.ctx.store.db, this.provider.name).catch(() => undefined);
      if (saved?.audience !== undefined && saved.audience.length > 0)
        this.audience = saved.audience;
    }
    if (this.audience === undefined) {
      throw refuse('KEY_SOURCE_UNAVAILABLE', 'the stream is not set up yet; retry later');
    }
    return this.audience;
  }

  /** Starts the stream set-up in the background. */
  start(): void {
    this.setup ??= this.setUpWithRetry();
  }

  /** Stops the set-up and the poll loop. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.setup;
    await this.loop?.stop();
    this.state = 'stopped';
  }

  /** For readiness and metrics. */
  status(): ReceiverStatus {
    return {
      delivery: this.ssf.delivery,
      state: this.state,
      streamId: this.streamId,
      lastError: this.lastError,
    };
  }

  private async bearer(): Promise<string> {
    const now = this.ctx.now();
    if (this.token !== undefined && this.token.until > now) return this.token.value;
    const tokenUrl =
      this.ssf.tokenUrl ??
      (await fetchOpenIdConfiguration(this.provider.issuer)).token_endpoint ??
      `${this.provider.issuer.replace(/\/$/, '')}/protocol/openid-connect/token`;
    const { accessToken, expiresInMs } = await clientCredentialsToken(
      tokenUrl,
      this.ssf.clientId,
      this.ssf.clientSecret,
    );
    // Renew 30 s early, so a token never expires between our check and the transmitter's.
    this.token = { value: accessToken, until: now + Math.max(0, (expiresInMs ?? 60_000) - 30_000) };
    return accessToken;
  }

  private failed(error: unknown): void {
    const step = error instanceof TransmitterRequestError ? error.step : 'setup';
    this.ctx.metrics.transmitterErrors.inc({ provider: this.provider.name, step });
    this.lastError = error instanceof Error ? error.message : String(error);
  }

  private async setUpOnce(): Promise<void> {
    const transmitter = await this.transmitter();
    const endpoint = transmitter.configuration_endpoint;
    if (endpoint === undefined) throw new Error('the transmitter has no configuration_endpoint');
    const token = await this.bearer();
    const db = this.ctx.store.db;
    const { stream, action } = await setUpStream({
      endpoint,
      token,
      ssf: this.ssf,
      pushAuthorization: await this.pushAuthorization(),
      rememberedStreamId: (await savedStream(db, this.provider.name)).streamId,
    });
    const audience = stream.aud === undefined ? [] : ([] as string[]).concat(stream.aud);
    await saveStreamId(
      db,
      this.provider.name,
      { streamId: stream.stream_id, audience },
      this.ctx.now(),
    );
    this.streamId = stream.stream_id;
    if (audience.length > 0) this.audience = audience;
    this.state = 'registered';
    this.lastError = undefined;
    this.ctx.logger.info(
      { provider: this.provider.name, streamId: stream.stream_id, action },
      'SSF stream ready',
    );
    if (this.ssf.delivery === 'poll') {
      const pollUrl = stream.delivery?.endpoint_url;
      if (pollUrl === undefined) throw new Error('the poll stream has no endpoint_url');
      this.startPolling(pollUrl);
    }
    if (transmitter.verification_endpoint !== undefined) {
      this.verificationState = randomBytes(16).toString('base64url');
      await requestVerification(
        transmitter.verification_endpoint,
        token,
        stream.stream_id,
        this.verificationState,
      );
    }
  }

  private async setUpWithRetry(): Promise<void> {
    const { signal } = this.controller;
    for (let failures = 0; !signal.aborted; failures += 1) {
      try {
        await this.setUpOnce();
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.failed(error);
        if (this.state === 'registered') {
          // Only the verification request failed (Keycloak answers 429 within 60 s of the last
          // one, e.g. after a quick restart): the stream works and SETs are accepted.
          this.ctx.logger.info(
            { provider: this.provider.name, err: error },
            'SSF verification request refused',
          );
          return;
        }
        this.state = 'failed';
        this.ctx.logger.warn(
          { provider: this.provider.name, err: error },
          'SSF stream set-up failed; retrying',
        );
        await abortableWait(Math.min(60_000, 1000 * 2 ** failures), signal);
      }
    }
  }

  private startPolling(pollUrl: string): void {
    if (this.loop !== undefined) return;
    this.loop = startPollLoop({
      maxEvents: this.ssf.maxEvents,
      intervalMs: this.ssf.pollIntervalMs,
      poll: async (request, signal) => pollEvents(pollUrl, await this.bearer(), request, signal),
      handle: (set) => this.receive(set, 'ssf-poll'),
      onError: (error, failures) => {
        this.failed(error);
        if (error instanceof TransmitterRequestError && error.status === 401)
          this.token = undefined;
        this.ctx.logger.warn(
          { provider: this.provider.name, err: error, failures },
          'SSF poll failed',
        );
      },
      wait: abortableWait,
    });
  }
}
