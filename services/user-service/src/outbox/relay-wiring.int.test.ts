/**
 * The service's wiring of the publisher's relay (the relay itself is tested in
 * packages/publisher): with Kafka unreachable a logout is still answered, its event waits in the
 * outbox, and /metrics shows the failures, the backlog and the leadership.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '@revocation-fabric/testkit';
import {
  Api,
  PASSWORD,
  createTestDatabase,
  outboxDepth,
  startUserService,
  uniqueUsername,
} from '../test-support/harness.js';

describe('the outbox relay as the user-service wires it', () => {
  it('answers a logout while Kafka is unreachable and reports the backlog in /metrics', async () => {
    const database = await createTestDatabase('sqlite');
    // Nothing listens on port 1: every connection attempt is refused at once.
    const service = await startUserService({ ...database.env, KAFKA_BROKERS: '127.0.0.1:1' });
    try {
      const api = new Api(service.url ?? '');
      const name = uniqueUsername('wiring');
      await api.register(name, PASSWORD);
      const tokens = await api.login(name, PASSWORD);
      const logout = await api.request('POST', '/auth/logout', { token: tokens.accessToken });
      expect(logout.status).toBe(204);
      expect(await outboxDepth(service.store)).toBe(1);
      await waitFor(
        async () => {
          const metrics = (await api.request<string>('GET', '/metrics')).body;
          return (
            /user_service_outbox_publish_failures_total [1-9]/.test(metrics) &&
            /user_service_outbox_depth 1\b/.test(metrics) &&
            /user_service_outbox_relay_leader 1\b/.test(metrics) &&
            /user_service_outbox_published_total 0\b/.test(metrics)
          );
        },
        { timeoutMs: 30_000, description: 'publish failures, a depth of 1 and the leader gauge' },
      );
      expect(service.relay.status()).toMatchObject({ leader: true, kafkaHealthy: false });
    } finally {
      await service.stop();
      await database.drop();
    }
  });
});
