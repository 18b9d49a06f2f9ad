import { readFileSync } from 'node:fs';
import { paths } from './lib/paths.js';

let cached: string | undefined;

/**
 * The Apache Kafka version the local broker runs: the `<kafka.version>` property of
 * `packages/kafka-local/pom.xml`, the single place the version is written down.
 *
 * @example
 * ```ts
 * pinnedKafkaVersion(); // '4.4.0'
 * ```
 */
export function pinnedKafkaVersion(): string {
  if (cached === undefined) {
    const pom = readFileSync(paths.pom, 'utf8');
    const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom);
    if (match?.[1] === undefined) {
      throw new Error(`${paths.pom} has no <kafka.version> property`);
    }
    cached = match[1];
  }
  return cached;
}
