/**
 * One provider's SSF receiver: the stream, set up in the background with backoff (a transmitter
 * that is down delays nothing else), the verification request, the poll loop for poll
 * delivery, and the verification of every SET, pushed or polled.
 */
import { randomBytes } from 'node:crypto';
import type { ProviderConfig, SsfConfig } from '../config/provider-config.js';
import type { GatewayContext } from '../context.js';
import { handleSignal } from '../signals/handle-signal.js';
import { refuse } from '../signals/refusal.js';
import type { SignalOutcome } from '../signals/handle-signal.js';
import { EVENT_TYPES } from '../signals/mapping.js';
import type { SignalSource } from '../signals/signal.js';
import { verifySet } from '../tokens/verify-set.js';
import { abortableWait, startPollLoop } from './poll-loop.js';
import type { PollLoop } from './poll-loop.js';
import { saveStreamId, savedStream } from './push-authorization.js';
import { setUpStream } from './stream-setup.js';
import { addConfiguredSubjects } from './stream-subjects.js';
import type { SubjectCoverage } from './stream-subjects.js';
import { originsOf } from './allowed-origins.js';
import { pollEvents } from './poll-events.js';
import { requestVerification } from './request-verification.js';
import { TransmitterRequestError, checkOrigin } from './transmitter-request.js';
import { TransmitterSession } from './transmitter-session.js';

/** Where a receiver's stream stands. */
export type StreamState = 'starting' | 'registered' | 'verified' | 'failed' | 'stopped';

/**
 * The last failure as readiness publishes it: the step and the HTTP status only. The message
 * (internal URLs, the transmitter's answer text) stays in the logs.
 */
export interface ReceiverFailure {
  /** What was being done, e.g. `poll`, `ssf-discovery`, `setup`. */
  readonly step: string;
  /** The transmitter's HTTP status, when an answer came. */
  readonly status: number | undefined;
}

/** What readiness reports of a receiver. */
export interface ReceiverStatus {
  readonly delivery: 'push' | 'poll';
  readonly state: StreamState;
  readonly streamId: string | undefined;
  readonly lastError: ReceiverFailure | undefined;
  /** Which subjects the stream covers (`none`: no event will come); unknown until set up. */
  readonly subjects?: SubjectCoverage | undefined;
}

/** One provider's SSF receiver. */
export class SsfReceiver {
  readonly session: TransmitterSession;
  private state: StreamState = 'starting';
  private streamId: string | undefined;
  private lastError: ReceiverFailure | undefined;
  private subjects: SubjectCoverage | undefined;
  private subjectsWarned = false;
  private verificationState: string | undefined;
  private readonly controller = new AbortController();
  private setup: Promise<void> | undefined;
  private loop: PollLoop | undefined;

  /**
   * @example
   * ```ts
   * const receiver = new SsfReceiver(ctx, provider, provider.ssf);
   * receiver.start();
   * ```
   */
  constructor(
    private readonly ctx: GatewayContext,
    readonly provider: ProviderConfig,
    readonly ssf: SsfConfig,
  ) {
    this.session = new TransmitterSession(ctx, provider, ssf, this.controller.signal);
  }

  /** The push authorization header value issued for this provider. */
  pushAuthorization(): Promise<string> {
    return this.session.pushAuthorization();
  }

  /** Verifies, maps and commits one SET. */
  async receive(set: string, source: SignalSource): Promise<SignalOutcome> {
    return handleSignal(this.ctx, this.provider, source, async () => {
      // A pushed body is capped by the route; a polled SET has the same limit.
      if (Buffer.byteLength(set) > this.ctx.config.http.bodyLimitBytes) {
        throw refuse('PAYLOAD_TOO_LARGE', 'the SET is larger than the limit');
      }
      const signal = await verifySet(set, {
        keys: this.session.keys,
        algorithms: this.provider.algorithms,
        // The configured issuer: the one rules are published under (the transmitter document
        // was refused unless it names the same).
        issuer: this.provider.issuer,
        audience: await this.session.expectedAudience(),
        now: this.ctx.now(),
        maxAgeMs: this.ssf.maxSetAgeMs,
        clockToleranceMs: this.ctx.config.clockToleranceMs,
      });
      const verification = signal.eventType === EVENT_TYPES.verification;
      // Only the answer to our own request: no state on either side is no match.
      const ours = this.verificationState;
      if (verification && ours !== undefined && signal.event['state'] === ours) {
        this.state = 'verified';
      }
      return signal;
    });
  }

  /** Starts the stream set-up in the background. */
  start(): void {
    this.setup ??= this.setUpWithRetry();
  }

  /** Stops the set-up (its requests are aborted) and the poll loop. */
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
      subjects: this.subjects,
    };
  }

  private failed(error: unknown): void {
    const step = error instanceof TransmitterRequestError ? error.step : 'setup';
    this.ctx.metrics.transmitterErrors.inc({ provider: this.provider.name, step });
    const status = error instanceof TransmitterRequestError ? error.status : undefined;
    this.lastError = { step, status };
  }

  private async setUpOnce(): Promise<void> {
    const { signal } = this.controller;
    const transmitter = await this.session.transmitter();
    const endpoint = transmitter.configuration_endpoint;
    if (endpoint === undefined) throw new Error('the transmitter has no configuration_endpoint');
    const token = await this.session.token.get();
    const db = this.ctx.store.db;
    const { stream, action, unreadable } = await setUpStream({
      call: { endpoint, token, signal },
      ssf: this.ssf,
      pushAuthorization: await this.session.pushAuthorization(),
      rememberedStreamId: (await savedStream(db, this.provider.name)).streamId,
    });
    if (unreadable.length > 0) {
      this.ctx.logger.warn(
        { provider: this.provider.name, streamId: stream.stream_id, unreadable },
        'SSF stream answers: members that failed their schema were read as absent',
      );
    }
    // The bearer token goes to the poll URL with every poll: refused before the stream is
    // adopted, so the set-up is retried rather than the stream counted as registered.
    const pollUrl = stream.delivery?.endpoint_url;
    if (this.ssf.delivery === 'poll') {
      if (pollUrl === undefined) {
        throw new TransmitterRequestError(
          'stream-setup',
          `the poll stream has no readable delivery.endpoint_url (${unreadable.join('; ') || 'absent'})`,
        );
      }
      checkOrigin(
        'stream-setup',
        'delivery.endpoint_url',
        pollUrl,
        originsOf(this.provider.issuer, this.session.configurationUrl()),
      );
    }
    const audience = stream.aud === undefined ? [] : ([] as string[]).concat(stream.aud);
    await saveStreamId(
      db,
      this.provider.name,
      { streamId: stream.stream_id, audience },
      this.ctx.now(),
    );
    this.session.streamAudience(audience);
    const { coverage, problem } = await addConfiguredSubjects({
      transmitter,
      streamId: stream.stream_id,
      token,
      subjects: this.ssf.subjects,
      signal,
    });
    this.subjects = coverage;
    if (problem !== undefined && !this.subjectsWarned) {
      this.subjectsWarned = true;
      this.ctx.logger.warn(
        { provider: this.provider.name, streamId: stream.stream_id, code: 'SSF_NO_SUBJECTS' },
        `SSF stream: ${problem}`,
      );
    }
    this.streamId = stream.stream_id;
    this.state = 'registered';
    this.lastError = undefined;
    this.ctx.logger.info(
      { provider: this.provider.name, streamId: stream.stream_id, action },
      'SSF stream ready',
    );
    if (this.ssf.delivery === 'poll' && pollUrl !== undefined) this.startPolling(pollUrl);
    if (transmitter.verification_endpoint !== undefined) {
      this.verificationState = randomBytes(16).toString('base64url');
      const call = { endpoint: transmitter.verification_endpoint, token, signal };
      await requestVerification(call, stream.stream_id, this.verificationState);
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
        const log = { provider: this.provider.name, err: error };
        if (this.state === 'registered') {
          // Only the verification request failed (Keycloak answers 429 within 60 s of the last
          // one, e.g. after a quick restart): the stream works and SETs are accepted.
          this.ctx.logger.info(log, 'SSF verification request refused');
          return;
        }
        this.state = 'failed';
        this.ctx.logger.warn(log, 'SSF stream set-up failed; retrying');
        await abortableWait(Math.min(60_000, 1000 * 2 ** failures), signal);
      }
    }
  }

  private startPolling(pollUrl: string): void {
    if (this.loop !== undefined) return;
    this.loop = startPollLoop({
      maxEvents: this.ssf.maxEvents,
      intervalMs: this.ssf.pollIntervalMs,
      poll: async (request, signal) =>
        pollEvents(pollUrl, await this.session.token.get(), request, signal),
      handle: (set) => this.receive(set, 'ssf-poll'),
      onError: (error, failures) => {
        this.failed(error);
        if (error instanceof TransmitterRequestError && error.status === 401)
          this.session.token.forget();
        this.ctx.logger.warn(
          { provider: this.provider.name, err: error, failures },
          'SSF poll failed',
        );
      },
      wait: abortableWait,
    });
  }
}
