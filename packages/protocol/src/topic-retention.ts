/**
 * Reads a revocation topic's real cleanup settings and judges them against the token policy.
 * A topic that deletes events before the rules they state may be forgotten lets a verifier that
 * replays it (every restart) accept tokens that were revoked while they are still valid.
 */
import type { ForgetPolicy } from './rules.js';

/**
 * One topic as a Kafka DescribeConfigs answer describes it: kafkajs' `Admin.describeConfigs`
 * resources fit as they are. `configValue` is `null` for values the broker hides.
 */
export interface DescribedTopicConfig {
  /** The topic's name. */
  readonly resourceName: string;
  /** The effective configuration: topic overrides, else the broker's defaults. */
  readonly configEntries: ReadonlyArray<{
    readonly configName: string;
    readonly configValue: string | null;
  }>;
}

/** The settings of a topic that decide how long its events stay. */
export interface TopicRetentionFacts {
  /** The topic's name. */
  readonly topic: string;
  /** `cleanup.policy` as the broker reports it, e.g. `compact,delete`. */
  readonly cleanupPolicy: string;
  /** The policy includes `delete`: events older than `retention.ms` are dropped. */
  readonly deletes: boolean;
  /** `retention.ms`; `-1` means never by time. Only in force when {@link deletes}. */
  readonly retentionMs: number;
  /** `retention.bytes` per partition; `-1` means no size limit. Only in force when {@link deletes}. */
  readonly retentionBytes: number;
  /** The least `retention.ms` that keeps every rule; see {@link minimumTopicRetentionMs}. */
  readonly requiredRetentionMs: number;
}

/** A topic that keeps every rule as long as a verifier may need it. */
export interface SufficientTopicRetention extends TopicRetentionFacts {
  readonly sufficient: true;
}

/**
 * A topic that may drop rules too early. `setting` is the configuration at fault:
 * `retention.ms` below the minimum, or `retention.bytes` set at all (deleting by size can drop
 * any event, however young, on a busy topic); `fix` is the command that mends it.
 */
export interface InsufficientTopicRetention extends TopicRetentionFacts {
  readonly sufficient: false;
  /** The configuration at fault. */
  readonly setting: 'retention.ms' | 'retention.bytes';
  /** The value to set it to: the spec's `retention.ms`, or `-1` for `retention.bytes`. */
  readonly fixValue: number;
  /** A `kafka-configs.sh` command line that sets {@link fixValue}. */
  readonly fix: string;
}

/** What {@link checkTopicRetention} finds. */
export type TopicRetentionVerdict = SufficientTopicRetention | InsufficientTopicRetention;

/** The configuration names {@link checkTopicRetention} reads; ask DescribeConfigs for these. */
export const TOPIC_RETENTION_CONFIG_NAMES: readonly string[] = Object.freeze([
  'cleanup.policy',
  'retention.ms',
  'retention.bytes',
]);

function checkPolicy(policy: ForgetPolicy): ForgetPolicy {
  const { maxTokenLifetimeMs, clockToleranceMs } = policy;
  if (!Number.isSafeInteger(maxTokenLifetimeMs) || maxTokenLifetimeMs < 1) {
    throw new TypeError(
      `maxTokenLifetimeMs must be an integer ≥ 1, got ${String(maxTokenLifetimeMs)}`,
    );
  }
  if (!Number.isSafeInteger(clockToleranceMs) || clockToleranceMs < 0) {
    throw new TypeError(`clockToleranceMs must be an integer ≥ 0, got ${String(clockToleranceMs)}`);
  }
  return policy;
}

/**
 * The least `retention.ms` a revocation topic may have: `maxTokenLifetimeMs + 2 × clockToleranceMs`.
 *
 * Kafka deletes by the record's timestamp. A rule may be forgotten (`forgetAt`) one maximum
 * lifetime + tolerance after its latest event or cutoff, and a valid event's cutoff may lie up
 * to one tolerance past its record's timestamp (`CUTOFF_IN_FUTURE` allows that much), so a rule
 * is needed for at most lifetime + 2 × tolerance after its record was written. Less, and a
 * verifier that replays the topic misses rules a verifier that stayed up still applies.
 *
 * @example
 * ```ts
 * minimumTopicRetentionMs({ maxTokenLifetimeMs: 900_000, clockToleranceMs: 5_000 }); // 910000
 * ```
 */
export function minimumTopicRetentionMs(policy: ForgetPolicy): number {
  const { maxTokenLifetimeMs, clockToleranceMs } = checkPolicy(policy);
  return maxTokenLifetimeMs + 2 * clockToleranceMs;
}

/**
 * The `retention.ms` the topic spec creates: `2 × maxTokenLifetimeMs + clockToleranceMs`, one
 * lifetime of margin over the minimum for events an outbox publishes late — never below
 * {@link minimumTopicRetentionMs} (which only binds when the lifetime is shorter than the tolerance).
 *
 * @example
 * ```ts
 * recommendedTopicRetentionMs({ maxTokenLifetimeMs: 900_000, clockToleranceMs: 5_000 }); // 1805000
 * ```
 */
export function recommendedTopicRetentionMs(policy: ForgetPolicy): number {
  const { maxTokenLifetimeMs, clockToleranceMs } = checkPolicy(policy);
  return Math.max(2 * maxTokenLifetimeMs + clockToleranceMs, minimumTopicRetentionMs(policy));
}

function entry(described: DescribedTopicConfig, name: string): string {
  const found = described.configEntries.find((e) => e.configName === name);
  if (found === undefined || found.configValue === null) {
    throw new TypeError(
      `configEntries of topic ${described.resourceName} have no value for ${name}: describe it with configNames ${TOPIC_RETENTION_CONFIG_NAMES.join(', ')}`,
    );
  }
  return found.configValue;
}

function integerEntry(described: DescribedTopicConfig, name: string): number {
  const text = entry(described, name).trim();
  const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < -1) {
    throw new TypeError(
      `${name} of topic ${described.resourceName} must be an integer ≥ -1, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function fixCommand(topic: string, setting: string, value: number): string {
  return `kafka-configs.sh --bootstrap-server <broker> --alter --entity-type topics --entity-name ${topic} --add-config ${setting}=${value}`;
}

/**
 * Judges a topic's real cleanup settings: does it keep every event at least
 * {@link minimumTopicRetentionMs}? `cleanup.policy=compact` alone never deletes by time or size
 * (compaction keeps the latest event per key, which the rule semantics allow for), and
 * `retention.ms=-1` never deletes by time: both keep rules long enough. With `delete` (alone or
 * `compact,delete`), `retention.ms` must reach the minimum and `retention.bytes` must be `-1`.
 * Pure: pass it the answer of a DescribeConfigs request.
 *
 * @throws TypeError when a setting is missing or not a number.
 * @example
 * ```ts
 * const [described] = (await admin.describeConfigs({
 *   resources: [{ type: 2, name: 'auth.revocations', configNames: [...TOPIC_RETENTION_CONFIG_NAMES] }],
 *   includeSynonyms: false,
 * })).resources;
 * const verdict = checkTopicRetention(described, { maxTokenLifetimeMs: 900_000, clockToleranceMs: 5_000 });
 * if (!verdict.sufficient) console.error(verdict.fix);
 * ```
 */
export function checkTopicRetention(
  described: DescribedTopicConfig,
  policy: ForgetPolicy,
): TopicRetentionVerdict {
  const topic = described.resourceName;
  const requiredRetentionMs = minimumTopicRetentionMs(policy);
  const cleanupPolicy = entry(described, 'cleanup.policy');
  const deletes = cleanupPolicy
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .includes('delete');
  const retentionMs = integerEntry(described, 'retention.ms');
  const retentionBytes = integerEntry(described, 'retention.bytes');
  const facts = { topic, cleanupPolicy, deletes, retentionMs, retentionBytes, requiredRetentionMs };
  if (!deletes) return { ...facts, sufficient: true };
  if (retentionMs !== -1 && retentionMs < requiredRetentionMs) {
    const fixValue = recommendedTopicRetentionMs(policy);
    return {
      ...facts,
      sufficient: false,
      setting: 'retention.ms',
      fixValue,
      fix: fixCommand(topic, 'retention.ms', fixValue),
    };
  }
  if (retentionBytes !== -1) {
    return {
      ...facts,
      sufficient: false,
      setting: 'retention.bytes',
      fixValue: -1,
      fix: fixCommand(topic, 'retention.bytes', -1),
    };
  }
  return { ...facts, sufficient: true };
}

/**
 * A DescribeConfigs answer as Kafka admin clients return it (kafkajs' `DescribeConfigResponse`
 * fits): one resource per topic asked for, each with its error code (`0` = none).
 */
export interface DescribeTopicConfigsAnswer {
  readonly resources: ReadonlyArray<
    DescribedTopicConfig & {
      readonly errorCode?: number | undefined;
      readonly errorMessage?: string | null | undefined;
    }
  >;
}

/** Kafka's TOPIC_AUTHORIZATION_FAILED: the principal lacks the DescribeConfigs ACL. */
const TOPIC_AUTHORIZATION_FAILED = 29;

/**
 * Picks one topic out of a DescribeConfigs answer.
 *
 * @throws TypeError when the answer has no resource for `topic`; Error when the broker
 *   answered that resource with an error (an authorization failure names the ACL to grant).
 * @example
 * ```ts
 * const verdict = checkTopicRetention(describedTopic(answer, 'auth.revocations'), policy);
 * ```
 */
export function describedTopic(
  answer: DescribeTopicConfigsAnswer,
  topic: string,
): DescribedTopicConfig {
  const resource = answer.resources.find((r) => r.resourceName === topic);
  if (resource === undefined) {
    throw new TypeError(`the DescribeConfigs answer has no resource for topic ${topic}`);
  }
  const code = resource.errorCode ?? 0;
  if (code !== 0) {
    const hint =
      code === TOPIC_AUTHORIZATION_FAILED
        ? ': grant this principal the DescribeConfigs operation on the topic'
        : '';
    throw new Error(
      `describing the configuration of topic ${topic} failed with Kafka error ${code}${resource.errorMessage ? ` (${resource.errorMessage})` : ''}${hint}`,
    );
  }
  return resource;
}
