import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { CLI_CLIENT_ID, connectionOptions, kafkaFailure, topicOf } from './connection.js';

describe('connectionOptions', () => {
  it('takes the brokers from --brokers before the environment', () => {
    const env = { REVOCATION_FABRIC_BROKERS: 'env:9092' };
    expect(connectionOptions({ brokers: 'a:9092, b:9092' }, env)).toEqual({
      brokers: ['a:9092', 'b:9092'],
      clientId: CLI_CLIENT_ID,
    });
    expect(connectionOptions({}, env).brokers).toEqual(['env:9092']);
  });

  it('refuses to run without brokers, naming the option and the variable', () => {
    expect(() => connectionOptions({}, {}, 'status')).toThrow(UsageError);
    expect(() => connectionOptions({}, {}, 'status')).toThrow(
      /--brokers .*REVOCATION_FABRIC_BROKERS/,
    );
  });

  it('builds SASL from options and variables, the password from the environment', () => {
    const options = connectionOptions(
      { brokers: 'a:9092', 'sasl-mechanism': 'SCRAM-SHA-512', 'sasl-username': 'operator' },
      { REVOCATION_FABRIC_SASL_PASSWORD: 'secret' },
    );
    expect(options.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'operator',
      password: 'secret',
    });
  });

  it('refuses half a SASL configuration and unknown mechanisms', () => {
    expect(() =>
      connectionOptions({ brokers: 'a:1', 'sasl-mechanism': 'plain', 'sasl-username': 'u' }, {}),
    ).toThrow(/username and a password/);
    expect(() =>
      connectionOptions({ brokers: 'a:1', 'sasl-mechanism': 'gssapi', 'sasl-username': 'u' }, {}),
    ).toThrow(/--sasl-mechanism must be one of/);
  });

  it('turns TLS on by flag or variable, and refuses an unreadable CA file', () => {
    expect(connectionOptions({ brokers: 'a:1', tls: true }, {}).tls).toBe(true);
    expect(connectionOptions({ brokers: 'a:1' }, { REVOCATION_FABRIC_TLS: '1' }).tls).toBe(true);
    expect(() =>
      connectionOptions({ brokers: 'a:1', 'tls-ca': '/nonexistent/ca.pem' }, {}),
    ).toThrow(/--tls-ca/);
  });

  it('uses auth.revocations unless told otherwise', () => {
    expect(topicOf({}, {})).toBe('auth.revocations');
    expect(topicOf({}, { REVOCATION_FABRIC_TOPIC: 'env.topic' })).toBe('env.topic');
    expect(topicOf({ topic: 'flag.topic' }, { REVOCATION_FABRIC_TOPIC: 'env.topic' })).toBe(
      'flag.topic',
    );
  });
});

describe('kafkaFailure', () => {
  it('tells an unreachable broker apart from a refusal with a hint', () => {
    const unreachable = Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
      name: 'KafkaJSConnectionError',
    });
    expect(kafkaFailure(unreachable, ['a:9092'], 't')).toMatchObject({
      code: 'KAFKA_UNREACHABLE',
      message: expect.stringContaining('could not reach the brokers a:9092'),
    });
    const denied = Object.assign(new Error('Not authorized to access topics'), {
      name: 'KafkaJSProtocolError',
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
    expect(kafkaFailure(denied, ['a:9092'], 't')).toMatchObject({
      code: 'KAFKA_FAILED',
      message: expect.stringContaining('grant this principal Read and Describe'),
    });
  });

  it('finds the broker’s answer behind "retries exceeded"', () => {
    const cause = Object.assign(new Error('This server does not host this topic-partition'), {
      name: 'KafkaJSProtocolError',
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
    const wrapped = Object.assign(new Error(cause.message, { cause }), {
      name: 'KafkaJSNumberOfRetriesExceeded',
    });
    expect(kafkaFailure(wrapped, ['a:9092'], 'no-such-topic')).toMatchObject({
      code: 'KAFKA_FAILED',
      message: expect.stringContaining('the topic does not exist (check --topic)'),
    });
  });

  it('lets other errors through as they are', () => {
    const error = new UsageError('x');
    expect(kafkaFailure(error, [], 't')).toBe(error);
  });
});
