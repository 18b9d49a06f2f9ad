/**
 * Rotates away from a signing key the moment a `key` rule names it. A key rule for the active
 * key — a real revocation made with a stolen private key, a forged one, a mistake — would
 * otherwise make every verifier that enforces it refuse every new login until someone rotates
 * by hand. Whatever the rule's source or signature, a rotation costs nothing (the next key was
 * published long ago), so the service rotates on sight; it revokes nothing itself.
 *
 * The topic is read with the verifier package's Kafka feed — the same replay, restart and
 * staleness machinery every verifier runs — rather than a second consumer written here.
 */
import type { RevocationEvent } from '@revocation-fabric/protocol';
import type { RevocationFeed } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import type { Logger } from 'pino';
import type { UserServiceConfig } from '../config.js';
import type { SigningKeys } from './signing-keys.js';

/** What {@link KeyRuleWatch} needs. */
export interface KeyRuleWatchOptions {
  readonly config: UserServiceConfig;
  readonly keys: SigningKeys;
  readonly logger: Logger;
  readonly now: () => number;
  /** Called after each rotation it made (metrics, tests). */
  readonly onRotated?: ((kid: string) => void) | undefined;
}

/**
 * Reads the service's own revocation topic and rotates when a key rule of its issuer names the
 * active (or next) signing key.
 *
 * @example
 * ```ts
 * const watch = new KeyRuleWatch({ config, keys, logger, now });
 * watch.start();
 * await watch.close();
 * ```
 */
export class KeyRuleWatch {
  readonly #options: KeyRuleWatchOptions;
  readonly #logger: Logger;
  #feed: RevocationFeed | undefined;
  /** Rotations run one at a time, in the order their rules arrive. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: KeyRuleWatchOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'key-rule-watch' });
  }

  /** Starts reading; trouble is retried and logged by the feed. Called once. */
  start(): void {
    if (this.#feed !== undefined) throw new Error('KeyRuleWatch.start() called twice');
    const { config, now } = this.#options;
    const { kafka, tokens } = config;
    this.#feed = kafkaRevocations({
      brokers: kafka.brokers,
      topic: kafka.topic,
      clientId: `${kafka.clientId}-key-watch`,
      sasl: kafka.sasl,
      tls: kafka.tls,
    })({
      logger: this.#logger,
      now,
      clockToleranceMs: tokens.clockToleranceMs,
      maxTokenLifetimeMs: () => tokens.maxTokenLifetimeSeconds * 1000,
    });
    this.#feed.start({
      event: (event) => this.#receive(event),
      poison: () => {},
    });
  }

  #receive(event: RevocationEvent): void {
    if (event.kind !== 'key' || event.iss !== this.#options.config.tokens.issuer) return;
    const { kid } = event;
    this.#queue = this.#queue
      .then(() => this.#replace(kid, event.id))
      .catch((error: unknown) => {
        this.#logger.error({ err: error, kid }, 'could not rotate away from a revoked key');
      });
  }

  async #replace(kid: string, eventId: string): Promise<void> {
    const { keys, now, onRotated } = this.#options;
    const changed = await keys.replaceIfSigning(kid, now());
    if (changed === undefined) return;
    keys.forget(kid);
    this.#logger.warn(
      { kid, eventId, replaced: changed.replaced, activeKid: changed.activeKid },
      changed.replaced === 'active'
        ? 'a key rule names the active signing key: rotated to the next key'
        : 'a key rule names the next signing key: replaced it',
    );
    onRotated?.(kid);
  }

  /** Stops reading. Idempotent. */
  async close(): Promise<void> {
    const feed = this.#feed;
    await feed?.close();
    await this.#queue;
  }
}
