import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@revocation-fabric/service-runtime';
import { configProblemLines } from '@revocation-fabric/testkit';
import { loadConfig } from './load-config.js';

const provider = {
  name: 'keycloak',
  issuer: 'https://idp.test/realms/r',
  algorithms: ['RS256'],
  maxTokenLifetimeMs: 900_000,
  backchannelLogout: { clientId: 'gateway' },
};
const base = { KAFKA_BROKERS: '127.0.0.1:9092' };

const problemsOf = (env: Record<string, string>) =>
  configProblemLines(ConfigError, () => loadConfig(env));

describe('loadConfig', () => {
  it('reads providers from GATEWAY_PROVIDERS with defaults', () => {
    const config = loadConfig({ ...base, GATEWAY_PROVIDERS: JSON.stringify([provider]) });
    expect(config.providers).toEqual([{ ...provider, maxSignalAgeMs: 300_000 }]);
    expect(config.kafka.clientId).toBe('gateway');
    expect(config.database).toEqual({ kind: 'sqlite', path: './data/revocation-gateway.sqlite' });
  });

  it('reads { providers } from GATEWAY_CONFIG_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gw-config-')), 'gateway.json');
    writeFileSync(file, JSON.stringify({ providers: [provider] }));
    expect(loadConfig({ ...base, GATEWAY_CONFIG_FILE: file }).providers[0]?.name).toBe('keycloak');
  });

  it('lists every problem of every provider at once, by path', () => {
    const problems = problemsOf({
      ...base,
      GATEWAY_PROVIDERS: JSON.stringify([
        { ...provider, name: 'Not URL safe/', algorithms: ['HS256'] },
        { ...provider, issuer: 'ftp://x', backchannelLogout: undefined },
        {
          ...provider,
          name: 'ssf',
          ssf: { delivery: 'push', clientId: 'gw', clientSecret: 's' },
        },
        { ...provider },
      ]),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GATEWAY_PROVIDERS\[0\]\.name: must be URL-safe/),
        expect.stringMatching(/^GATEWAY_PROVIDERS\[0\]\.algorithms\[0\]: must be an asymmetric/),
        expect.stringMatching(/^GATEWAY_PROVIDERS\[1\]\.issuer: must be an http\(s\) URL/),
        expect.stringMatching(/^GATEWAY_PROVIDERS\[1\]: enables no channel/),
        expect.stringMatching(/^GATEWAY_PROVIDERS\[2\]\.ssf\.pushUrl: is required for push/),
        expect.stringMatching(/^GATEWAY_PROVIDERS\[3\]\.name: is used twice/),
      ]),
    );
  });

  it('refuses a missing provider list, invalid JSON, and both sources at once', () => {
    expect(problemsOf(base)).toEqual([expect.stringMatching(/^GATEWAY_PROVIDERS: is required/)]);
    expect(problemsOf({ ...base, GATEWAY_PROVIDERS: '[{' })).toEqual([
      'GATEWAY_PROVIDERS: is not valid JSON',
    ]);
    expect(problemsOf({ ...base, GATEWAY_PROVIDERS: '[]', GATEWAY_CONFIG_FILE: '/x' })).toEqual([
      'GATEWAY_PROVIDERS: set it or GATEWAY_CONFIG_FILE, not both',
    ]);
    expect(problemsOf({ ...base, GATEWAY_PROVIDERS: '[]' })).toEqual([
      'GATEWAY_PROVIDERS: must list at least one provider',
    ]);
  });

  it('reports environment and provider problems together, and never echoes a secret', () => {
    const problems = problemsOf({
      GATEWAY_PROVIDERS: JSON.stringify([
        {
          ...provider,
          ssf: { delivery: 'poll', clientId: 'gw', clientSecret: 'hunter2', pollIntervalMs: -1 },
        },
      ]),
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      PORT: 'eighty',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT:/),
        expect.stringMatching(/^KAFKA_BROKERS:/),
      ]),
    );
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});
