/**
 * What the integration tests share: a fresh database of either kind, an in-process service,
 * an HTTP client, a tap on the revocation topic and a verifier from the verifier package.
 * Everything is real — SQLite file, PostgreSQL database, Kafka broker — nothing is mocked.
 * Not part of the service build (see tsconfig.json).
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { createVerifier } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import type { Verifier } from '@revocation-fabric/verifier';
import {
  TEST_DATABASE_KINDS,
  createTestDatabase as createDatabase,
  kafkaBrokers,
  suiteFixture,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import type { TestDatabase, TestDatabaseKind } from '@revocation-fabric/testkit';
import { loadConfig } from '../config.js';
import type { DataStore } from '../db/schema.js';
import { createUserService } from '../service.js';
import type { UserService, UserServiceOptions } from '../service.js';

/** The two real databases every HTTP test runs against. */
export const DATABASE_KINDS = TEST_DATABASE_KINDS;
export type DatabaseKind = TestDatabaseKind;

/** The issuer and audience of test services. */
export const TEST_ISSUER = 'http://user-service.test';
export const TEST_AUDIENCE = 'revocation-fabric-test';

/**
 * An empty SQLite file or a `us_test_<random>` PostgreSQL database (the testkit's), its `env`
 * carrying a fresh key-encryption key as well: every instance on one database needs the same.
 */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const database = await createDatabase(kind, { prefix: 'us_test' });
  return {
    ...database,
    env: { ...database.env, KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
  };
}

export { kafkaBrokers } from '@revocation-fabric/testkit';
export type { TestDatabase } from '@revocation-fabric/testkit';

/** The base environment of a test service; `overrides` win. */
export function testEnvironment(
  overrides: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    ISSUER: TEST_ISSUER,
    AUDIENCE: TEST_AUDIENCE,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    OUTBOX_POLL_INTERVAL_MS: '100',
    OUTBOX_MAX_RETRY_DELAY_MS: '1000',
    ...overrides,
  };
}

/**
 * The variables of a service on `database` that publishes to a topic of its own (named after
 * `topicPrefix`, three partitions) on `brokers`, the run's broker unless given.
 */
export function kafkaServiceEnvironment(
  database: TestDatabase,
  topicPrefix: string,
  brokers: readonly string[] = kafkaBrokers(),
): Record<string, string> {
  return {
    ...database.env,
    KAFKA_BROKERS: brokers.join(','),
    REVOCATION_TOPIC: uniqueTopic(topicPrefix),
    REVOCATION_TOPIC_PARTITIONS: '3',
  };
}

/** Creates and starts a service in this process; `options.now` gives it a test clock. */
export async function startUserService(
  overrides: Readonly<Record<string, string>>,
  options: Pick<UserServiceOptions, 'now'> = {},
): Promise<UserService> {
  const config = loadConfig(testEnvironment(overrides));
  const service = createUserService(config, {
    logger: pino({ level: config.logLevel, base: { service: 'user-service-test' } }),
    ...options,
  });
  await service.start();
  return service;
}

/**
 * Gives the calling describe block a service of its own: started before its tests on a fresh
 * database of `kind`, publishing to a topic of its own (named after `topicPrefix`) on the run's
 * broker, with `overrides` winning; stopped, and its database dropped, after them. Hooks the
 * block registers later run after this start and before this stop.
 */
export function useUserService(
  kind: DatabaseKind,
  topicPrefix: string,
  overrides: Readonly<Record<string, string>> = {},
  options: Pick<UserServiceOptions, 'now'> = {},
): SuiteService {
  const fixture = suiteFixture(`the ${topicPrefix} service`, async (onStop) => {
    const database = await createTestDatabase(kind);
    onStop(() => database.drop());
    const environment = { ...kafkaServiceEnvironment(database, topicPrefix), ...overrides };
    const service = await startUserService(environment, options);
    onStop(() => service.stop());
    return { database, service, api: new Api(service.url ?? '') };
  });
  beforeAll(fixture.setUp);
  afterAll(fixture.tearDown);
  return fixture.view;
}

/** A describe block's own service, with its database and a client; read them inside tests. */
export interface SuiteService {
  readonly database: TestDatabase;
  readonly service: UserService;
  readonly api: Api;
}

/** One HTTP answer. */
export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A token pair as the API returns it. */
export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly sessionId: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly refreshExpiresIn: number;
}

/** A small client for the service's HTTP API. */
export class Api {
  constructor(readonly baseUrl: string) {}

  /**
   * Sends a request. `json` is serialized; `raw` is sent as is (with `contentType`, default
   * application/json), for malformed-input tests.
   */
  async request<T = unknown>(
    method: string,
    path: string,
    options: {
      readonly json?: unknown;
      readonly raw?: string | undefined;
      readonly contentType?: string | undefined;
      readonly token?: string | undefined;
      readonly headers?: Record<string, string> | undefined;
    } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined || options.raw !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      body = options.raw ?? JSON.stringify(options.json);
    }
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('application/json') && text !== '') {
      parsed = JSON.parse(text);
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** Registers an account; returns its id. */
  async register(username: string, password: string): Promise<string> {
    const answer = await this.request<{ id: string }>('POST', '/auth/register', {
      json: { username, password },
    });
    if (answer.status !== 201) throw new Error(`register ${username}: ${answer.status}`);
    return answer.body.id;
  }

  /** Signs in; returns the tokens. */
  async login(username: string, password: string): Promise<Tokens> {
    const answer = await this.request<Tokens>('POST', '/auth/login', {
      json: { username, password },
    });
    if (answer.status !== 200) {
      throw new Error(`login ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }
}

/** The highest outbox id so far (0 when empty): a mark to read "events since". */
export async function outboxMark(store: DataStore): Promise<number> {
  const row = await store.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/** Events committed to the outbox after `mark`, in order. */
export async function outboxSince(store: DataStore, mark: number): Promise<RevocationEvent[]> {
  const rows = await store.db
    .selectFrom('outbox')
    .select('payload')
    .where('id', '>', mark)
    .orderBy('id')
    .execute();
  return rows.map((row) => decodeEvent(row.payload));
}

/** Unsent outbox events. */
export async function outboxDepth(store: DataStore): Promise<number> {
  const row = await store.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sentAt', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A verifier (the package) for a test service, ready. */
export async function startVerifier(
  service: UserService,
  options: {
    readonly brokers?: readonly string[];
    /** Keep fetched keys this long (jose's default is 10 min); tests default to 1 s. */
    readonly jwksCacheMs?: number;
  } = {},
): Promise<Verifier> {
  const url = service.url;
  if (url === undefined) throw new Error('service is not listening');
  const verifier = createVerifier({
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    algorithms: ['ES256'],
    jwks: {
      url: `${url}/.well-known/jwks.json`,
      cooldownDuration: 100,
      cacheMaxAge: options.jwksCacheMs ?? 1000,
    },
    revocations: kafkaRevocations({
      brokers: [...(options.brokers ?? service.config.kafka.brokers)],
      topic: service.config.kafka.topic,
      clientId: 'user-service-test-verifier',
    }),
    maxTokenLifetimeMs: service.config.tokens.maxTokenLifetimeSeconds * 1000,
    clockToleranceMs: service.config.tokens.clockToleranceMs,
  });
  await verifier.ready();
  return verifier;
}

/** The verifier's verdict on a token: 'ok' or the error code. */
export async function verdict(verifier: Verifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : 'error';
  }
}

/** Waits until the verifier rejects a token with `code` (revocations arrive asynchronously). */
export async function waitForVerdict(
  verifier: Verifier,
  token: string,
  code: string,
  timeoutMs = 20_000,
): Promise<void> {
  await waitFor(async () => (await verdict(verifier, token)) === code, {
    timeoutMs,
    description: `verifier answers ${code}`,
  });
}

/** A password that satisfies the policy. */
export const PASSWORD = 'correct horse battery staple';

/** The variables that bootstrap the administrator `root` with {@link PASSWORD}. */
export const ROOT_ADMIN_ENVIRONMENT: Readonly<Record<string, string>> = {
  BOOTSTRAP_ADMIN_USERNAME: 'root',
  BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
};

/** A username no other test used. */
export function uniqueUsername(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
