import { describe, expect, it } from 'vitest';
import { saslFromEnvironment } from './env-sasl.js';

describe('saslFromEnvironment', () => {
  it('is undefined without a mechanism', () => {
    expect(saslFromEnvironment({})).toBeUndefined();
    expect(saslFromEnvironment({ KAFKA_SASL_MECHANISM: '' })).toBeUndefined();
  });

  it('reads the services’ variables', () => {
    expect(
      saslFromEnvironment({
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'admin',
        KAFKA_SASL_PASSWORD: 'secret',
      }),
    ).toEqual({ mechanism: 'scram-sha-512', username: 'admin', password: 'secret' });
  });

  it('names the variable that is wrong', () => {
    expect(() => saslFromEnvironment({ KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(
      /KAFKA_SASL_MECHANISM: expected one of plain/,
    );
    expect(() =>
      saslFromEnvironment({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'x' }),
    ).toThrow(/KAFKA_SASL_USERNAME: required/);
    expect(() =>
      saslFromEnvironment({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' }),
    ).toThrow(/KAFKA_SASL_PASSWORD: required/);
  });
});
