import { RULE_KINDS } from '@revocation-fabric/protocol';
import type { RuleKind } from '@revocation-fabric/protocol';
import { longestTokenLifetimeMs } from './authority.js';
import { Blocklist } from './blocklist.js';
import type { VerifiedToken } from './claims.js';
import { NotReadyError, StaleError, VerifierError } from './errors.js';
import { EventIntake, keySource } from './event-intake.js';
import { verifierSnapshots } from './sink-snapshots.js';
import type { RevokedListener } from './event-intake.js';
import type { RevocationFeed } from './feed.js';
import { VerifierMetrics, assertMetricNamesFree } from './metrics.js';
import type { VerifierStats } from './stats.js';
import { resolveVerifierOptions } from './options.js';
import type { ResolvedVerifierOptions, VerifierOptions } from './options.js';
import { TokenVerification } from './token-verification.js';
import type { IssuerTrust } from './token-verification.js';

export type { RevokedContext, RevokedListener } from './event-intake.js';

/**
 * Verifies access tokens locally and rejects revoked ones, fed by the revocation topic.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({
 *   issuer, audience: 'game', algorithms: ['ES256'], jwks: { url },
 *   revocations: kafkaRevocations({ brokers }),
 * });
 * await verifier.ready();
 * const { claims } = await verifier.verify(token);
 * const unsubscribe = verifier.onRevoked((rule) => cut(rule));
 * ```
 */
export interface Verifier {
  /**
   * Resolves once the revocation topic has been replayed up to the high-water marks captured
   * at start; until then every verification fails with NOT_READY. Rejects with
   * {@link NotReadyError} if the verifier is closed first.
   */
  ready(): Promise<void>;
  /**
   * Verifies a compact JWS access token: signature (pinned algorithms), issuer, audience, times,
   * maximum lifetime, then the blocklist — on every call, cache hit or not.
   *
   * @throws a {@link VerifierError} subclass; switch on `code`.
   */
  verify(token: string): Promise<VerifiedToken>;
  /**
   * Re-judges a token this verifier accepted before (unexpired, not revoked, verifier serving).
   * Synchronous, for long-lived connections.
   *
   * @throws a {@link VerifierError} subclass.
   */
  check(token: VerifiedToken): void;
  /**
   * Calls `listener` with every rule that newly rejects tokens (see {@link RevokedListener}).
   *
   * @returns a function that removes the listener; calling it again does nothing.
   */
  onRevoked(listener: RevokedListener): () => void;
  /**
   * Reads the verifier's clock (its `now` option), in ms since the epoch. The adapters judge
   * what they time themselves (a socket's expiry, the age of a login) by it, so one clock rules
   * verification and everything around it.
   */
  now(): number;
  /**
   * The clock tolerance this verifier grants, in ms (its `clockToleranceMs` option): on token
   * times, and on rule cutoffs (no rule rejects a token issued after its cutoff + this). The
   * socket.io adapter judges which sockets a rule cuts with it, as the blocklist does.
   */
  readonly clockToleranceMs: number;
  /** Health snapshot. */
  stats(): VerifierStats;
  /** Stops the feed (the Kafka feed deletes its group, best effort), unregisters metrics. Idempotent. */
  close(): Promise<void>;
}

/** Interval of the housekeeping timer (blocklist purge, staleness transitions), ms. */
const HOUSEKEEPING_INTERVAL_MS = 1_000;
/** Rules examined per housekeeping tick: 1M rules are swept in under 2 minutes. */
const PURGE_BUDGET = 10_000;

/**
 * The verifier proper, over the {@link RevocationFeed} its `revocations` option builds. Not
 * exported from the package: {@link createVerifier} checks the options and warns first.
 */
export class RevocationVerifier implements Verifier {
  readonly #options: ResolvedVerifierOptions;
  readonly #feed: RevocationFeed;
  /** One trust (keys, rules) per issuer. */
  readonly #trusts: readonly IssuerTrust[];
  /** Each event from the feed: authority, brake signatures, the blocklists, the listeners. */
  readonly #intake: EventIntake;
  readonly #verification: TokenVerification;
  readonly #housekeeping: NodeJS.Timeout;
  readonly #now: () => number;
  #metrics: VerifierMetrics | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #wasStale = false;

  constructor(options: ResolvedVerifierOptions) {
    this.#options = options;
    const { now } = options;
    this.#now = now;
    this.#feed = options.revocations({
      logger: options.logger,
      now,
      clockToleranceMs: options.clockToleranceMs,
      maxStalenessMs: options.maxStalenessMs,
      maxTokenLifetimeMs: (source) => longestTokenLifetimeMs(options.issuers, source),
    });
    if (options.metrics !== undefined)
      assertMetricNamesFree(options.metrics.registry, options.metrics.prefix);
    // Each issuer has its own blocklist: its rules are forgotten by its own maximum lifetime,
    // and no rule of one issuer is ever looked up for another's token.
    const trusts = options.issuers.map((issuer): IssuerTrust => ({
      issuer,
      keys: keySource(issuer.jwks, issuer.issuer),
      blocklist: new Blocklist({
        maxTokenLifetimeMs: issuer.maxTokenLifetimeMs,
        clockToleranceMs: options.clockToleranceMs,
        now,
        issuer: issuer.issuer,
      }),
    }));
    this.#trusts = trusts;
    this.#intake = new EventIntake({
      trusts,
      logger: options.logger,
      now,
      live: () => this.#feed.isReady(),
      metrics: () => this.#metrics,
    });
    this.#verification = new TokenVerification({
      issuers: trusts,
      clockToleranceMs: options.clockToleranceMs,
      cacheSize: options.cacheSize,
      now,
      assertServing: (now) => this.#assertServing(now),
    });
    this.#housekeeping = setInterval(() => this.#tick(), HOUSEKEEPING_INTERVAL_MS);
    this.#housekeeping.unref();
    void this.#start();
  }

  ready(): Promise<void> {
    // Brakes read during the replay are applied once their signatures are checked.
    return this.#feed.ready().then(() => this.#intake.replayBrakesSettled());
  }

  verify(token: string): Promise<VerifiedToken> {
    // A cache hit is judged synchronously and handed back already settled: wrapping it in
    // async functions would add a microtask per layer to the cheapest and commonest call.
    let hit: VerifiedToken | undefined;
    try {
      hit = this.#verification.verifyCached(token);
    } catch (error) {
      this.#countRefusal(error);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (hit === undefined) return this.#verifyUncached(token);
    this.#metrics?.verification('ok');
    return Promise.resolve(hit);
  }

  check(token: VerifiedToken): void {
    this.#verification.check(token);
  }

  onRevoked(listener: RevokedListener): () => void {
    return this.#intake.onRevoked(listener);
  }

  now(): number {
    return this.#now();
  }

  get clockToleranceMs(): number {
    return this.#options.clockToleranceMs;
  }

  stats(): VerifierStats {
    const feed = this.#feed.stats();
    const now = this.#now();
    const msSinceLastContact =
      feed.lastContactAt === undefined ? null : Math.max(0, now - feed.lastContactAt);
    let totalLag = 0;
    for (const lag of Object.values(feed.lagByPartition)) totalLag += lag;
    let poisonTotal = 0;
    for (const count of Object.values(feed.poisonByCode)) poisonTotal += count;
    const refusedByReason = this.#intake.refusedCounts();
    let refusedTotal = 0;
    for (const count of Object.values(refusedByReason)) refusedTotal += count;
    const ready = feed.ready && !this.#intake.replayBrakesPending && !this.#closed;
    const stale = this.#isStale(feed.lastContactAt, now);
    const rulesByKind = { token: 0, session: 0, subject: 0, key: 0, global: 0 };
    // No prototype: an issuer string is configuration, and `__proto__` must stay a plain key.
    const rulesByIssuer = Object.create(null) as Record<string, Readonly<Record<RuleKind, number>>>;
    for (const { issuer, blocklist } of this.#trusts) {
      const counts = blocklist.size();
      rulesByIssuer[issuer.issuer] = counts;
      for (const kind of RULE_KINDS) rulesByKind[kind] += counts[kind];
    }
    return {
      ready,
      stale,
      serving: ready && !(stale && this.#options.onStale === 'closed'),
      rulesByKind,
      rulesByIssuer,
      applied: feed.applied,
      ignored: this.#intake.ignored,
      refused: { byReason: refusedByReason, total: refusedTotal },
      topicRetention: feed.topicRetention ?? null,
      poison: { byCode: feed.poisonByCode, total: poisonTotal },
      lagByPartition: feed.lagByPartition,
      totalLag,
      msSinceLastContact,
      msSinceLastAppliedEvent:
        this.#intake.lastReceivedAt === undefined
          ? null
          : Math.max(0, now - this.#intake.lastReceivedAt),
      receipts:
        feed.receipts === undefined
          ? null
          : { committed: feed.receipts, failed: feed.receiptFailures ?? 0 },
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #start(): Promise<void> {
    const { metrics, logger } = this.#options;
    if (metrics !== undefined) {
      try {
        this.#metrics = await VerifierMetrics.create(
          metrics.registry,
          metrics.prefix,
          () => this.stats(),
          () => this.#feed.topicRetention?.(),
        );
      } catch (error) {
        // Metrics are an aid; a verifier that cannot register them still protects the service.
        logger.error({ err: error }, 'could not register verifier metrics');
      }
    }
    if (this.#closed) {
      this.#metrics?.remove();
      return;
    }
    this.#feed.start({
      event: (event, origin) => this.#intake.receive(event, origin),
      poison: (code) => this.#metrics?.poison(code),
      snapshots: verifierSnapshots({
        trusts: this.#trusts,
        clockToleranceMs: this.#options.clockToleranceMs,
        checking: () => this.#intake.brakesInFlight,
      }),
    });
  }

  async #verifyUncached(token: string): Promise<VerifiedToken> {
    try {
      const verified = await this.#verification.verifyUncached(token);
      this.#metrics?.verification('ok');
      return verified;
    } catch (error) {
      this.#countRefusal(error);
      throw error;
    }
  }

  #countRefusal(error: unknown): void {
    if (error instanceof VerifierError) this.#metrics?.verification(error.code);
  }

  #isStale(lastContactAt: number | undefined, now: number): boolean {
    return lastContactAt !== undefined && now - lastContactAt > this.#options.maxStalenessMs;
  }

  /** @param now - the clock reading of the call being judged. */
  #assertServing(now: number): void {
    if (this.#closed) throw new NotReadyError({ reason: 'CLOSED' });
    if (!this.#feed.isReady() || this.#intake.replayBrakesPending) {
      const tooShort = (this.#feed.topicRetention?.() ?? []).filter((v) => !v.sufficient);
      if (tooShort.length > 0) {
        throw new NotReadyError({ reason: 'TOPIC_RETENTION_TOO_SHORT', topicRetention: tooShort });
      }
      throw new NotReadyError();
    }
    const lastContactAt = this.#feed.lastContactAt();
    if (this.#options.onStale === 'closed' && lastContactAt !== undefined) {
      const since = now - lastContactAt;
      if (since > this.#options.maxStalenessMs) throw new StaleError({ msSinceLastContact: since });
    }
  }

  #tick(): void {
    for (const { blocklist } of this.#trusts) blocklist.purge(PURGE_BUDGET);
    if (!this.#feed.isReady()) return;
    const stale = this.#isStale(this.#feed.lastContactAt(), this.#now());
    if (stale === this.#wasStale) return;
    this.#wasStale = stale;
    const { logger, onStale, maxStalenessMs } = this.#options;
    if (stale) {
      logger.warn(
        { onStale, maxStalenessMs },
        onStale === 'closed'
          ? 'revocation feed is stale: rejecting every token with STALE until the broker answers'
          : 'revocation feed is stale: still accepting tokens (onStale: open)',
      );
    } else {
      logger.info({}, 'revocation feed is fresh again');
    }
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    this.#intake.close();
    clearInterval(this.#housekeeping);
    this.#verification.clear();
    try {
      await this.#feed.close();
    } finally {
      this.#metrics?.remove();
    }
  }
}

let failOpenWarned = false;

/**
 * Creates a verifier and starts its revocation feed. Options are checked here, once.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({
 *   issuer: 'https://auth.example',
 *   audience: 'game-service',
 *   algorithms: ['ES256'],
 *   jwks: { url: 'https://auth.example/.well-known/jwks.json' },
 *   revocations: kafkaRevocations({ brokers: ['kafka-1:9092'] }),
 * });
 * await verifier.ready();
 * ```
 * @throws TypeError naming the first invalid option.
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const resolved = resolveVerifierOptions(options);
  if (resolved.onStale === 'open' && !failOpenWarned) {
    failOpenWarned = true;
    // Allowed but risky: say so once per process, with a stable code, as lru-cache does.
    process.emitWarning(
      'onStale: "open" keeps accepting tokens while the revocation feed is stale: revocations issued during a broker outage are not enforced until it ends',
      { type: 'RevocationVerifierWarning', code: 'RF_VERIFIER_FAIL_OPEN' },
    );
  }
  return new RevocationVerifier(resolved);
}
