import { afterEach, describe, expect, it, vi } from 'vitest';
import { getKafka } from './get-kafka.js';
import { dockerEngineAnswers, kafkaImage } from './lib/testcontainers-kafka.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

// How getKafka reads REQUIRE_KAFKA_SOURCE and KAFKA_IMAGE; starting brokers is the integration
// project's job. Each case fails before any broker or engine is contacted.
describe('getKafka with REQUIRE_KAFKA_SOURCE', () => {
  it('refuses KAFKA_BROKERS when testcontainers is required, so the Docker leg cannot pass on another broker', async () => {
    vi.stubEnv('REQUIRE_KAFKA_SOURCE', 'testcontainers');
    vi.stubEnv('KAFKA_BROKERS', '127.0.0.1:1');
    await expect(getKafka()).rejects.toMatchObject({
      code: 'KAFKA_SOURCE_MISMATCH',
      required: 'testcontainers',
    });
  });

  it('fails when testcontainers is required and no Docker engine answers', async (context) => {
    vi.stubEnv('REQUIRE_KAFKA_SOURCE', 'testcontainers');
    vi.stubEnv('KAFKA_BROKERS', '');
    vi.stubEnv('DOCKER_HOST', 'unix:///nonexistent/docker.sock');
    // Testcontainers falls back to the usual sockets: on a machine whose default engine
    // answers, this case cannot be set up.
    if (await dockerEngineAnswers(2_000))
      context.skip('a Docker engine answers on a default socket');
    await expect(getKafka({ dockerTimeoutMs: 2_000 })).rejects.toThrow(
      /REQUIRE_KAFKA_SOURCE=testcontainers, but no Docker engine answers/,
    );
  });

  it('refuses an unknown source, naming the allowed ones', async () => {
    vi.stubEnv('REQUIRE_KAFKA_SOURCE', 'docker');
    await expect(getKafka()).rejects.toThrow(/env, testcontainers, local/);
  });
});

describe('kafkaImage', () => {
  it('defaults to the official image of the pinned version and follows KAFKA_IMAGE', () => {
    vi.stubEnv('KAFKA_IMAGE', '');
    expect(kafkaImage('4.4.0')).toBe('apache/kafka:4.4.0');
    vi.stubEnv('KAFKA_IMAGE', 'revocation-fabric/apache-kafka-from-maven:4.4.0');
    expect(kafkaImage('4.4.0')).toBe('revocation-fabric/apache-kafka-from-maven:4.4.0');
  });
});
