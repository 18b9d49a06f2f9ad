import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { kafkaSecurityEnvironment, kafkaSecurityFromEnvironment } from './kafka-security.js';

function problems(env: Record<string, string>): string[] {
  try {
    kafkaSecurityFromEnvironment(env);
  } catch (error) {
    if (error instanceof ConfigError)
      return error.problems.map((p) => `${p.variable}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('Kafka security variables', () => {
  it('leaves SASL and TLS off when nothing is set', () => {
    expect(kafkaSecurityFromEnvironment({})).toEqual({ sasl: undefined, tls: undefined });
  });

  it('reads SCRAM credentials and TLS', () => {
    expect(
      kafkaSecurityFromEnvironment({
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'svc',
        KAFKA_SASL_PASSWORD: 's3cret',
        KAFKA_TLS: 'true',
      }),
    ).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 's3cret' },
      tls: true,
    });
  });

  it('refuses an unknown mechanism, half a credential and a CA file without TLS', () => {
    expect(problems({ KAFKA_SASL_MECHANISM: 'gssapi' })).toEqual([
      expect.stringMatching(/^KAFKA_SASL_MECHANISM: must be scram-sha-512, scram-sha-256 or plain/),
    ]);
    expect(problems({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'svc' })).toEqual([
      'KAFKA_SASL_PASSWORD: is required with KAFKA_SASL_MECHANISM=plain',
    ]);
    expect(problems({ KAFKA_SASL_PASSWORD: 'x' })).toEqual([
      'KAFKA_SASL_PASSWORD: needs KAFKA_SASL_MECHANISM',
    ]);
    expect(problems({ KAFKA_TLS_CA_FILE: '/ca.pem' })).toEqual([
      'KAFKA_TLS_CA_FILE: needs KAFKA_TLS=true',
    ]);
    expect(problems({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem' })).toEqual([
      expect.stringMatching(/^KAFKA_TLS_CA_FILE: cannot be read: ENOENT/),
    ]);
  });

  it('never puts the password in a message', () => {
    const messages = problems({ KAFKA_SASL_PASSWORD: 'hunter2-secret' });
    expect(messages).toHaveLength(1);
    expect(messages.join(' ')).not.toContain('hunter2-secret');
  });

  it('hands on only the variables that are set', () => {
    expect(
      kafkaSecurityEnvironment({ KAFKA_SASL_USERNAME: 'svc', KAFKA_TLS: '', PATH: '/bin' }),
    ).toEqual({ KAFKA_SASL_USERNAME: 'svc' });
  });
});
