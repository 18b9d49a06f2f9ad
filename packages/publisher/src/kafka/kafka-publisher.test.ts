import { describe, expect, it } from 'vitest';
import { KafkaOptionError, kafkaPublisher } from './index.js';
import type { KafkaPublisherOptions } from './index.js';

describe('kafkaPublisher options', () => {
  it.each<[string, KafkaPublisherOptions, string]>([
    ['no brokers', { brokers: [] }, 'brokers'],
    ['a broker without port', { brokers: ['kafka-1'] }, 'brokers'],
    ['an empty client id', { brokers: ['kafka-1:9092'], clientId: '' }, 'clientId'],
    [
      'an unknown SASL mechanism',
      { brokers: ['kafka-1:9092'], sasl: JSON.parse('{"mechanism":"gssapi"}') as never },
      'sasl',
    ],
    ['TLS options as text', { brokers: ['kafka-1:9092'], tls: 'on' as never }, 'tls'],
    [
      'a zero connection timeout',
      { brokers: ['kafka-1:9092'], connectionTimeoutMs: 0 },
      'connectionTimeoutMs',
    ],
  ])('refuses %s when created, naming the option as the verifier does', (_, options, option) => {
    expect(() => kafkaPublisher(options)).toThrow(KafkaOptionError);
    expect(() => kafkaPublisher(options)).toThrow(
      expect.objectContaining({ option, message: expect.stringMatching(`^kafka\\.${option}[ .]`) }),
    );
  });
});
