/**
 * What the verifier does with each event its feed delivers: finds the issuer it speaks for
 * (an untrusted issuer's event is ignored), checks that its source may state its kind, checks a
 * brake's signature against the issuer's brake keys, then applies it to that issuer's blocklist
 * and tells the listeners of a rule that newly rejects tokens. The verifier proper only
 * verifies tokens and reports; this is its write side.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { isBrake } from '@revocation-fabric/protocol';
import type {
  RevocationEvent,
  RevocationRule,
  TraceContextHeaders,
} from '@revocation-fabric/protocol';
import { RefusedEvents, sourceAllows } from './authority.js';
import type { RefusedEventReason, ResolvedSources } from './authority.js';
import { verifyBrakeSignature } from './brake-signature.js';
import type { EventOrigin } from './feed.js';
import type { ResolvedJwks } from './issuers.js';
import { fromKeySetError } from './lib/jose-error.js';
import type { VerifierLogger } from './logger.js';
import type { VerifierMetrics } from './metrics.js';
import type { IssuerTrust } from './token-verification.js';
import { startApplySpan } from './tracing.js';

/** What a {@link RevokedListener} learns about the apply besides the rule. */
export interface RevokedContext {
  /**
   * The W3C trace context of the span that applied the rule, when OpenTelemetry tracing is on
   * and the event carried one: work the listener does for the rule (the socket.io adapter's
   * disconnects) can be a child of it.
   */
  readonly trace?: TraceContextHeaders | undefined;
}

/**
 * Called with every rule that newly rejects tokens, once applied (after ready; the startup
 * replay does not call it). Runs synchronously on the feed's path: keep it short. An exception
 * it throws is logged and swallowed.
 */
export type RevokedListener = (rule: RevocationRule, applied: RevokedContext) => void;

/** The context of an apply that was not traced. */
const UNTRACED: RevokedContext = Object.freeze({});

/** First wait before asking an unreachable brake key set again, ms; doubles up to the max. */
const BRAKE_RETRY_MS = 1_000;
const BRAKE_RETRY_MAX_MS = 30_000;

/** Who may state one issuer's rules, resolved: its sources, and its brake keys (or none). */
interface IssuerAuthority {
  readonly sources: ResolvedSources;
  readonly brakeKeys: JWTVerifyGetKey | false;
  readonly algorithms: readonly string[];
}

/**
 * A key set as jose reads it: a local JWK Set, or a remote one whose failures become the
 * verifier's typed errors.
 *
 * @throws TypeError for a local set that is not a valid JWK Set.
 */
export function keySource(jwks: ResolvedJwks, issuer: string): JWTVerifyGetKey {
  if ('keys' in jwks) {
    try {
      return createLocalJWKSet(jwks.keys);
    } catch (cause) {
      throw new TypeError(`jwks of ${issuer}: invalid JWK Set: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
  const remote = createRemoteJWKSet(jwks.url, jwks.remote);
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      throw fromKeySetError(error);
    }
  };
}

/** Options of {@link EventIntake}. */
export interface EventIntakeOptions {
  /** One trust (keys, blocklist) per issuer. */
  readonly trusts: readonly IssuerTrust[];
  readonly logger: VerifierLogger;
  readonly now: () => number;
  /** Whether the feed has replayed the topic: events read before are the replay. */
  readonly live: () => boolean;
  /** The metrics, once registered. */
  readonly metrics: () => VerifierMetrics | undefined;
}

/** The verifier's intake of revocation events (see the module comment). */
export class EventIntake {
  readonly #options: EventIntakeOptions;
  readonly #trusts: ReadonlyMap<string, IssuerTrust>;
  readonly #authority: ReadonlyMap<string, IssuerAuthority>;
  readonly #refused: RefusedEvents;
  /** Brake signature checks of events read during the startup replay: ready waits for them. */
  readonly #replayBrakes = new Set<Promise<void>>();
  /** Aborts brake checks waiting for an unreachable key set, on close. */
  readonly #abort = new AbortController();
  readonly #listeners = new Set<RevokedListener>();
  /** Brake signature checks in flight, live or replayed: a snapshot must wait for them. */
  #brakesInFlight = 0;
  #ignored = 0;
  #lastReceivedAt: number | undefined;

  constructor(options: EventIntakeOptions) {
    this.#options = options;
    this.#trusts = new Map(options.trusts.map((trust) => [trust.issuer.issuer, trust]));
    this.#authority = new Map(
      options.trusts.map(({ issuer, keys }): [string, IssuerAuthority] => {
        const { sources, brakeKeys } = issuer.authority;
        return [
          issuer.issuer,
          {
            sources,
            brakeKeys:
              brakeKeys === 'issuer'
                ? keys
                : brakeKeys === false
                  ? false
                  : keySource(brakeKeys, issuer.issuer),
            algorithms: issuer.algorithms,
          },
        ];
      }),
    );
    this.#refused = new RefusedEvents(options.logger, options.now);
  }

  /** Events of issuers this verifier does not trust, ignored. */
  get ignored(): number {
    return this.#ignored;
  }

  /** When the last event arrived, ms, or `undefined`. */
  get lastReceivedAt(): number | undefined {
    return this.#lastReceivedAt;
  }

  /** Whether brakes read during the replay still wait for their signature check. */
  get replayBrakesPending(): boolean {
    return this.#replayBrakes.size > 0;
  }

  /**
   * Whether a brake delivered (during the replay or live) still waits for its signature check:
   * the feed's position is past it, the blocklist does not hold it yet.
   */
  get brakesInFlight(): boolean {
    return this.#brakesInFlight > 0;
  }

  /** Resolves once every brake read during the replay is applied or refused. */
  async replayBrakesSettled(): Promise<void> {
    while (this.#replayBrakes.size > 0) await Promise.all([...this.#replayBrakes]);
  }

  /** Refused events by reason. */
  refusedCounts(): Partial<Record<RefusedEventReason, number>> {
    return this.#refused.counts();
  }

  /** Adds a listener; returns its removal (see {@link RevokedListener}). */
  onRevoked(listener: RevokedListener): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError(`onRevoked: listener must be a function, got ${typeof listener}`);
    }
    // A wrapper per subscription, so subscribing one function twice needs two unsubscribes.
    const entry: RevokedListener = (rule, applied) => listener(rule, applied);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** One event from the feed: checked against its issuer's authority, then applied. */
  receive(event: RevocationEvent, origin: EventOrigin): void {
    this.#lastReceivedAt = this.#options.now();
    // A rule speaks for one issuer: an untrusted issuer's subject `u1` or global cutoff is not
    // ours, and a trusted one's goes to that issuer's rules only.
    const trust = this.#trusts.get(event.iss);
    const authority = this.#authority.get(event.iss);
    if (trust === undefined || authority === undefined) {
      this.#ignored += 1;
      this.#options.metrics()?.applied(undefined);
      return;
    }
    if (!sourceAllows(authority.sources, origin.source, event.kind)) {
      this.#refuse('SOURCE_NOT_AUTHORIZED', event, origin);
      return;
    }
    if (!isBrake(event.kind)) {
      this.#apply(trust, event, origin);
      return;
    }
    if (authority.brakeKeys === false) {
      this.#refuse('BRAKE_NOT_TRUSTED', event, origin);
      return;
    }
    if (origin.signature === undefined) {
      this.#refuse('BRAKE_UNSIGNED', event, origin);
      return;
    }
    const duringReplay = !this.#options.live();
    this.#brakesInFlight += 1;
    const check = this.#checkBrake(trust, authority, event, {
      ...origin,
      signature: origin.signature,
    }).finally(() => {
      this.#brakesInFlight -= 1;
    });
    if (!duringReplay) return;
    this.#replayBrakes.add(check);
    void check.finally(() => this.#replayBrakes.delete(check));
  }

  /** Stops waiting for brake keys and drops the listeners. */
  close(): void {
    this.#abort.abort();
    this.#listeners.clear();
  }

  /**
   * Applies a brake once its signature verifies; refuses it when it does not. While the key set
   * cannot be fetched the brake waits (and, during the replay, so does readiness): it is
   * neither applied unsigned nor dropped for a network failure.
   */
  async #checkBrake(
    trust: IssuerTrust,
    authority: IssuerAuthority,
    event: RevocationEvent,
    origin: EventOrigin & { readonly signature: string },
  ): Promise<void> {
    const { signal } = this.#abort;
    if (authority.brakeKeys === false) return;
    for (
      let wait = BRAKE_RETRY_MS;
      !signal.aborted;
      wait = Math.min(wait * 2, BRAKE_RETRY_MAX_MS)
    ) {
      const verdict = await verifyBrakeSignature(
        origin.signature,
        origin.payload,
        authority.brakeKeys,
        authority.algorithms,
      );
      if (signal.aborted) return;
      if (verdict === 'valid') {
        this.#apply(trust, event, origin);
        return;
      }
      if (verdict === 'invalid') {
        this.#refuse('BRAKE_SIGNATURE_INVALID', event, origin);
        return;
      }
      this.#options.logger.warn(
        { issuer: event.iss, eventId: event.id, retryInMs: wait },
        'cannot fetch the brake keys to check a brake signature; asking again',
      );
      await sleep(wait, undefined, { signal, ref: false }).catch(() => {});
    }
  }

  #refuse(reason: RefusedEventReason, event: RevocationEvent, origin: EventOrigin): void {
    this.#refused.refuse(reason, event, origin.source);
    this.#options.metrics()?.refused(reason);
  }

  #apply(trust: IssuerTrust, event: RevocationEvent, origin: EventOrigin): void {
    // Only an event that carries a trace context costs anything for tracing, and only once an
    // SDK is registered (tracing.ts).
    const span =
      origin.trace === undefined ? undefined : startApplySpan(event, origin.source, origin.trace);
    if (span === undefined) {
      this.#applyAndTell(trust, event, UNTRACED);
      return;
    }
    let rejects = false;
    try {
      rejects = this.#applyAndTell(trust, event, { trace: span.trace });
    } finally {
      span.end(rejects, this.#options.live());
    }
  }

  /** Applies an event; tells the listeners, with `applied`. Returns whether it newly rejects. */
  #applyAndTell(trust: IssuerTrust, event: RevocationEvent, applied: RevokedContext): boolean {
    const live = this.#options.live();
    const rule = trust.blocklist.apply(event);
    // Delay is only meaningful for live events: replayed ones are as old as the topic.
    this.#options.metrics()?.applied(live ? this.#options.now() - event.issuedAt : undefined);
    if (rule === undefined || !live) return rule !== undefined;
    this.#options.logger.debug(
      { kind: rule.kind, reason: rule.reason, eventId: event.id },
      'revocation applied',
    );
    for (const listener of this.#listeners) {
      try {
        listener(rule, applied);
      } catch (error) {
        this.#options.logger.error({ err: error }, 'a revoked listener threw');
      }
    }
    return true;
  }
}
