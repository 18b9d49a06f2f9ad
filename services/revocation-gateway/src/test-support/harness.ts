/**
 * A gateway in this process for tests, on a real database (a SQLite file, or a fresh PostgreSQL
 * database), and readers of what it committed. Not part of the build.
 */
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase as createDatabase, suiteFixture } from '@revocation-fabric/testkit';
import type { TestDatabase, TestDatabaseKind } from '@revocation-fabric/testkit';
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { loadConfig } from '../config/load-config.js';
import type { DataStore } from '../db/schema.js';
import { createGateway } from '../gateway.js';
import type { Gateway } from '../gateway.js';

/** An empty SQLite file or a `gw_test_<random>` PostgreSQL database (the testkit's). */
export function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  return createDatabase(kind, { prefix: 'gw_test' });
}

/** Creates and starts a gateway; `env` overrides the test defaults. */
export async function startTestGateway(
  providers: readonly unknown[],
  env: Readonly<Record<string, string>>,
  options: { readonly now?: () => number } = {},
): Promise<Gateway> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    KAFKA_BROKERS: '127.0.0.1:1',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    OUTBOX_POLL_INTERVAL_MS: '100',
    OUTBOX_MAX_RETRY_DELAY_MS: '1000',
    GATEWAY_PROVIDERS: JSON.stringify(providers),
    ...env,
  });
  const gateway = createGateway(config, {
    logger: pino({ level: config.logLevel, base: { service: 'gateway-test' } }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  await gateway.start();
  return gateway;
}

/** A test file's own gateway, its database and base URL; read them inside tests and hooks. */
export interface SuiteGateway {
  readonly database: TestDatabase;
  readonly gateway: Gateway;
  readonly url: string;
}

/**
 * Gives the calling file (or describe block) a gateway of its own: started before its tests on a
 * fresh SQLite database with the providers `providers()` returns and `env` over the database's
 * variables; stopped, and the database dropped, after them. `providers` is called at the start,
 * so it may name servers that hooks registered before this call have started; those hooks' closing
 * counterparts run after this stop.
 */
export function useTestGateway(
  providers: () => readonly unknown[],
  env: Readonly<Record<string, string>> = {},
): SuiteGateway {
  const fixture = suiteFixture('the test gateway', async (onStop) => {
    const database = await createTestDatabase('sqlite');
    onStop(() => database.drop());
    const gateway = await startTestGateway(providers(), { ...database.env, ...env });
    onStop(() => gateway.stop());
    return { database, gateway, url: gateway.url ?? '' };
  });
  beforeAll(fixture.setUp);
  afterAll(fixture.tearDown);
  return fixture.view;
}

/**
 * The variables that make a gateway on `database` publish to `topic` (three partitions) on
 * `brokers`.
 */
export function kafkaGatewayEnvironment(
  database: TestDatabase,
  brokers: string,
  topic: string,
): Record<string, string> {
  return {
    ...database.env,
    KAFKA_BROKERS: brokers,
    REVOCATION_TOPIC: topic,
    REVOCATION_TOPIC_PARTITIONS: '3',
  };
}

/** Every event in the outbox, in commit order. */
export async function outboxEvents(store: DataStore): Promise<RevocationEvent[]> {
  const rows = await store.db.selectFrom('outbox').select('payload').orderBy('id').execute();
  return rows.map((row) => decodeEvent(row.payload));
}

/** POSTs a logout token as the spec's form. */
export function postLogout(
  url: string,
  provider: string,
  body: string,
  contentType = 'application/x-www-form-urlencoded',
): Promise<Response> {
  return fetch(`${url}/backchannel-logout/${provider}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}

/** The form body carrying `token`. */
export const logoutForm = (token: string): string =>
  new URLSearchParams({ logout_token: token }).toString();

/** POSTs `token` to `provider`'s back-channel-logout endpoint in the spec's form. */
export function postLogoutToken(url: string, provider: string, token: string): Promise<Response> {
  return postLogout(url, provider, logoutForm(token));
}

export { metricValue } from '@revocation-fabric/testkit';
export type { TestDatabase } from '@revocation-fabric/testkit';
