import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pinnedKafkaVersion } from './version.js';

/** The default Kafka image tags of a compose file (`${KAFKA_IMAGE:-apache/kafka:<tag>}`). */
function composeKafkaTags(file: string): string[] {
  const text = readFileSync(new URL(`../../../infra/${file}`, import.meta.url), 'utf8');
  return [...text.matchAll(/image: \$\{KAFKA_IMAGE:-apache\/kafka:([^}\s]+)\}/g)].map(
    (match) => match[1] ?? '',
  );
}

describe('pinnedKafkaVersion', () => {
  it('reads a release version from pom.xml', () => {
    expect(pinnedKafkaVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is the version infra/compose*.yaml run, so Docker users get the same broker', () => {
    const version = pinnedKafkaVersion();
    expect(composeKafkaTags('compose.yaml')).toEqual([version]);
    expect(composeKafkaTags('compose.cluster3.yaml')).toEqual([version, version]);
  });
});
