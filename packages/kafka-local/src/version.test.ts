import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pinnedKafkaVersion } from './version.js';

describe('pinnedKafkaVersion', () => {
  it('reads a release version from pom.xml', () => {
    expect(pinnedKafkaVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is the version infra/compose.yaml runs, so Docker users get the same broker', () => {
    const compose = readFileSync(new URL('../../../infra/compose.yaml', import.meta.url), 'utf8');
    expect(compose).toContain(`image: apache/kafka:${pinnedKafkaVersion()}\n`);
  });
});
