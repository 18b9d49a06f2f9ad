import { describe, expect, it } from 'vitest';
import { KafkaOptionError } from './errors.js';
import type { KafkaOptionName } from './errors.js';
import { resolveKafkaConnection } from './resolve-connection.js';

const how = { defaultClientId: 'revocation-test' };

function refusal(options: unknown): KafkaOptionError {
  try {
    resolveKafkaConnection(options, how);
  } catch (error) {
    if (error instanceof KafkaOptionError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('resolveKafkaConnection', () => {
  it('fills in the defaults and copies what it keeps', () => {
    const brokers = ['kafka-1:9092', '[::1]:9093'];
    const resolved = resolveKafkaConnection({ brokers, topic: 'ignored' }, how);
    expect(resolved).toEqual({
      brokers,
      clientId: 'revocation-test',
      tls: undefined,
      sasl: undefined,
      connectionTimeoutMs: 3000,
    });
    brokers.push('late:9092');
    expect(resolved.brokers).toHaveLength(2);
  });

  it('hands kafkajs a SASL object of its own, never the caller’s', () => {
    const sasl = { mechanism: 'scram-sha-512', username: 'svc', password: 'one' } as const;
    const resolved = resolveKafkaConnection({ brokers: ['b:9092'], sasl }, how);
    expect(resolved.sasl).toEqual(sasl);
    expect(resolved.sasl).not.toBe(sasl);
  });

  it('keeps TLS: off for false, true as such, options copied', () => {
    const ca = ['-----BEGIN CERTIFICATE-----'];
    const at = (tls: unknown) => resolveKafkaConnection({ brokers: ['b:9092'], tls }, how).tls;
    expect(at(false)).toBeUndefined();
    expect(at(true)).toBe(true);
    const tls = at({ ca, rejectUnauthorized: false, servername: undefined });
    expect(tls).toEqual({ ca, rejectUnauthorized: false });
    expect(tls === true ? undefined : tls?.ca).not.toBe(ca);
  });

  it.each<[string, unknown, KafkaOptionName, RegExp]>([
    ['no object', 'b:9092', 'options', /^kafka options must be an object, got "b:9092"$/],
    [
      'no brokers',
      { brokers: undefined },
      'brokers',
      /^kafka\.brokers must be a non-empty array of host:port strings, got undefined$/,
    ],
    ['empty brokers', { brokers: [] }, 'brokers', /^kafka\.brokers must be .*, got an array$/],
    [
      'a broker without port',
      { brokers: ['b:9092', 'kafka-2'] },
      'brokers',
      /^kafka\.brokers must be .*, got "kafka-2"$/,
    ],
    ['a port out of range', { brokers: ['b:70000'] }, 'brokers', /got "b:70000"$/],
    ['a broker string', { brokers: 'b:9092' }, 'brokers', /got "b:9092"$/],
    [
      'an empty client id',
      { clientId: '' },
      'clientId',
      /^kafka\.clientId must be a non-empty string, got ""$/,
    ],
    ['a numeric client id', { clientId: 7 }, 'clientId', /^kafka\.clientId must be .*, got 7$/],
    [
      'tls as a string',
      { tls: 'yes' },
      'tls',
      /^kafka\.tls must be a boolean or TLS options, got "yes"$/,
    ],
    [
      'a misspelt tls option',
      { tls: { cafile: '/ca.pem' } },
      'tls',
      /^kafka\.tls\.cafile is not a supported TLS option \(give only ca, cert, key, passphrase, pfx, rejectUnauthorized, servername\)$/,
    ],
    [
      'a tls ca of numbers',
      { tls: { ca: [1] } },
      'tls',
      /^kafka\.tls\.ca must be PEM text, a Buffer or an array of them, got an array$/,
    ],
    [
      'rejectUnauthorized as text',
      { tls: { rejectUnauthorized: 'false' } },
      'tls',
      /^kafka\.tls\.rejectUnauthorized must be a boolean, got "false"$/,
    ],
    [
      'sasl as a string',
      { sasl: 'scram' },
      'sasl',
      /^kafka\.sasl must be \{ mechanism: 'plain' \| 'scram-sha-256' \| 'scram-sha-512', username, password \}, got "scram"$/,
    ],
    [
      'an unknown mechanism',
      { sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } },
      'sasl',
      /^kafka\.sasl\.mechanism must be one of plain, scram-sha-256, scram-sha-512, got "gssapi"$/,
    ],
    [
      'no username',
      { sasl: { mechanism: 'plain', password: 'p' } },
      'sasl',
      /^kafka\.sasl\.username must be a non-empty string, got undefined$/,
    ],
    [
      'an empty password',
      { sasl: { mechanism: 'plain', username: 'u', password: '' } },
      'sasl',
      /^kafka\.sasl\.password must be a non-empty string, got an empty string$/,
    ],
    [
      'a zero timeout',
      { connectionTimeoutMs: 0 },
      'connectionTimeoutMs',
      /^kafka\.connectionTimeoutMs must be an integer number of milliseconds ≥ 1, got 0$/,
    ],
    ['a fractional timeout', { connectionTimeoutMs: 1.5 }, 'connectionTimeoutMs', /got 1\.5$/],
  ])('refuses %s, naming the option', (_, given, option, message) => {
    const options =
      typeof given === 'object' && given !== null && !('brokers' in given)
        ? { brokers: ['b:9092'], ...given }
        : given;
    const error = refusal(options);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: 'KAFKA_OPTION_INVALID', option, name: 'KafkaOptionError' });
    expect(error.message).toMatch(message);
  });

  it('never puts a password or passphrase in a message', () => {
    const sasl = { mechanism: 'plain', username: '', password: 'hunter2-secret' };
    const tls = { passphrase: { secret: 'hunter2-secret' } };
    for (const options of [{ sasl }, { tls }, { sasl: { ...sasl, username: 'u', password: 42 } }]) {
      expect(refusal({ brokers: ['b:9092'], ...options }).message).not.toContain('hunter2');
    }
  });

  it('names the options object as the caller calls it', () => {
    expect(() =>
      resolveKafkaConnection({ brokers: [] }, { ...how, name: 'kafkaPublisher' }),
    ).toThrow(/^kafkaPublisher\.brokers must be/);
  });
});
