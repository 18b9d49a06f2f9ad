import { randomBytes } from 'node:crypto';

const LEGAL = /^[A-Za-z0-9._-]+$/;

/**
 * A topic name no other test (or earlier run against the same broker) has used:
 * `<prefix>-<time>-<random>`. Tests share one broker, so each creates its own topics.
 *
 * @example
 * ```ts
 * uniqueTopic('smoke'); // 'smoke-m3x1k2p0-9f1c2a7b'
 * ```
 */
export function uniqueTopic(prefix: string): string {
  // Kafka allows 249 characters of [A-Za-z0-9._-]; leave room for the 18-character suffix.
  if (!LEGAL.test(prefix) || prefix.length > 200) {
    throw new TypeError(
      `prefix must be 1-200 characters of [A-Za-z0-9._-], got ${JSON.stringify(prefix)}`,
    );
  }
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
