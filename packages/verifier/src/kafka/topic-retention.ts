/**
 * The verifier's side of "retention checked, not assumed": the topics a feed replays must keep
 * every event as long as a rule it states can reject a token this verifier still accepts, or a
 * restarted verifier accepts tokens that were revoked while they are valid. Pure: the feed asks
 * the broker (DescribeConfigs, after it captured the high-water marks) and hands the answer here.
 */
import {
  TOPIC_RETENTION_CONFIG_NAMES,
  checkTopicRetention,
  describedTopic,
} from '@revocation-fabric/protocol';
import type {
  DescribeTopicConfigsAnswer,
  TopicRetentionVerdict,
} from '@revocation-fabric/protocol';

// The lifetime a source must cover is an authority question (which issuers it speaks for).
export { longestTokenLifetimeMs } from '../authority.js';
export type { IssuerLifetime } from '../authority.js';

/** Options of {@link checkFeedTopicRetention}. */
export interface FeedTopicRetentionOptions {
  /** The topics the feed reads; each is judged, unless no trusted issuer speaks through it. */
  readonly topics: readonly string[];
  /**
   * The longest token lifetime this verifier accepts, in ms: one figure for every topic (the
   * maximum over its issuers' `maxTokenLifetimeMs`), or per topic, e.g.
   * `(topic) => longestTokenLifetimeMs(issuers, topic)`; a topic it answers `undefined` for is
   * not judged.
   */
  readonly maxTokenLifetimeMs: number | ((topic: string) => number | undefined);
  /** The verifier's clock tolerance, in ms. */
  readonly clockToleranceMs: number;
}

/**
 * The DescribeConfigs request a feed sends for its topics: only the settings the check reads
 * (resource type 2 is a topic). kafkajs' `admin.describeConfigs` takes it as it is; the
 * principal needs the DescribeConfigs ACL on each topic.
 *
 * @example
 * ```ts
 * const answer = await admin.describeConfigs(topicRetentionRequest(['auth.revocations']));
 * ```
 */
export function topicRetentionRequest(topics: readonly string[]): {
  resources: Array<{ type: 2; name: string; configNames: string[] }>;
  includeSynonyms: false;
} {
  return {
    resources: topics.map((name) => ({
      type: 2,
      name,
      configNames: [...TOPIC_RETENTION_CONFIG_NAMES],
    })),
    includeSynonyms: false,
  };
}

/**
 * Judges every topic of a DescribeConfigs answer with the protocol's `checkTopicRetention`:
 * `retention.ms` must reach the longest token lifetime + 2 × the clock tolerance wherever
 * `cleanup.policy` includes `delete`, and `retention.bytes` must be `-1`; `compact` alone and
 * `retention.ms=-1` keep everything. A verdict with `sufficient: false` means a verifier that
 * replays that topic may miss rules: the verifier is not ready, reason
 * `TOPIC_RETENTION_TOO_SHORT`.
 *
 * @returns one verdict per judged topic, in the order of `options.topics`.
 * @throws TypeError when the answer lacks a topic or a setting; Error when the broker refused
 *   to describe a topic (its message names the ACL to grant).
 * @example
 * ```ts
 * const verdicts = checkFeedTopicRetention(answer, {
 *   topics: ['auth.revocations', 'auth.revocations.gateway'],
 *   maxTokenLifetimeMs: (topic) => longestTokenLifetimeMs(issuers, topic),
 *   clockToleranceMs: 5_000,
 * });
 * const tooShort = verdicts.filter((verdict) => !verdict.sufficient);
 * ```
 */
export function checkFeedTopicRetention(
  answer: DescribeTopicConfigsAnswer,
  options: FeedTopicRetentionOptions,
): TopicRetentionVerdict[] {
  const { topics, maxTokenLifetimeMs, clockToleranceMs } = options;
  const verdicts: TopicRetentionVerdict[] = [];
  for (const topic of topics) {
    const lifetime =
      typeof maxTokenLifetimeMs === 'number' ? maxTokenLifetimeMs : maxTokenLifetimeMs(topic);
    if (lifetime === undefined) continue;
    verdicts.push(
      checkTopicRetention(describedTopic(answer, topic), {
        maxTokenLifetimeMs: lifetime,
        clockToleranceMs,
      }),
    );
  }
  return verdicts;
}
