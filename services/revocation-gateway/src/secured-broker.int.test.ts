/**
 * The gateway as the principal `gateway` on a secured broker (SASL/SCRAM-SHA-512 with the
 * revocation ACLs): its credentials come from the KAFKA_SASL_* variables through service-runtime,
 * it creates its own topic (`<topic>.gateway`, the only one the ACLs let it write) and publishes,
 * and a verifier principal reads the event. A cluster of
 * this file's own (the testkit's secured kafka-local), skipped with the reason where Java is
 * missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent } from '@revocation-fabric/protocol';
import {
  faultKafkaSupport,
  startSecureKafka,
  startTopicReader,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import type { SecureKafka, TopicReader } from '@revocation-fabric/testkit';
import type { Gateway } from './gateway.js';
import {
  createTestDatabase,
  kafkaGatewayEnvironment,
  outboxEvents,
  postLogoutToken,
  startTestGateway,
} from './test-support/harness.js';
import type { TestDatabase } from './test-support/harness.js';
import { logoutProvider, serveKeys, signLogoutToken, testKey } from './test-support/signals.js';
import type { KeyServer, TestKey } from './test-support/signals.js';

const faults = await faultKafkaSupport();
if (!faults.supported) console.warn(`[gateway secured] skipped: ${faults.reason}`);

const ISSUER = 'https://idp.test/realms/secured';

describe.skipIf(!faults.supported)('the gateway on a secured broker', () => {
  let kafka: SecureKafka | undefined;
  let key: TestKey;
  let keys: KeyServer;
  let database: TestDatabase;
  let gateway: Gateway | undefined;
  let reader: TopicReader | undefined;

  beforeAll(async () => {
    kafka = await startSecureKafka({ name: 'gateway-secured-test' });
    key = await testKey('RS256');
    keys = await serveKeys([key]);
    database = await createTestDatabase('sqlite');
  }, 180_000);
  afterAll(async () => {
    await reader?.close();
    await gateway?.stop();
    await keys.close();
    await database.drop();
    await kafka?.close();
  }, 60_000);

  it('publishes as principal gateway, read by a verifier principal', async () => {
    if (kafka === undefined) throw new Error('the secured cluster did not start');
    const { gateway: principal, verifier } = kafka.credentials;
    gateway = await startTestGateway([logoutProvider('idp', ISSUER, keys.jwksUrl)], {
      ...kafkaGatewayEnvironment(database, kafka.brokers.join(','), kafka.gatewayTopic),
      KAFKA_SASL_MECHANISM: principal.mechanism,
      KAFKA_SASL_USERNAME: principal.username,
      KAFKA_SASL_PASSWORD: principal.password,
    });
    const token = await signLogoutToken(key, ISSUER, { sid: 'sid-secured' });
    expect((await postLogoutToken(gateway.url ?? '', 'idp', token)).status).toBe(200);
    const [committed] = await outboxEvents(gateway.store);
    // The ACLs let verifiers read with groups named revocation-verifier*.
    reader = await startTopicReader(kafka.brokers, kafka.gatewayTopic, {
      clientId: 'gateway-secured-reader',
      groupId: uniqueTopic('revocation-verifier-gateway'),
      sasl: verifier,
    });
    const current = reader;
    await waitFor(
      () =>
        current.records.some((r) => r.value !== null && decodeEvent(r.value).id === committed?.id),
      { timeoutMs: 30_000, description: 'the gateway’s event on the secured topic' },
    );
    expect(gateway.relay.status()).toMatchObject({ kafkaHealthy: true });
  });
});
