/** The one transaction of a signal, on a real SQLite file. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { createIssuer } from '@revocation-fabric/issuer-kit';
import type { Issuer } from '@revocation-fabric/issuer-kit';
import { loadConfig } from '../config/load-config.js';
import type { GatewayContext } from '../context.js';
import { gatewayMigrations } from '../db/migrations.js';
import type { DataStore, GatewayDatabase } from '../db/schema.js';
import { GatewayMetrics } from '../metrics.js';
import { createTestDatabase, outboxEvents } from '../test-support/harness.js';
import type { TestDatabase } from '../test-support/harness.js';
import { commitSignal, purgeSeenSignals } from './commit-signal.js';
import { SignalRefusedError } from './refusal.js';

const NOW = 1_800_000_000_000;
const ISSUER = 'https://idp.test/realms/r';
let database: TestDatabase;
let issuer: Issuer<GatewayDatabase>;
let store: DataStore;
let ctx: GatewayContext;

beforeAll(async () => {
  database = await createTestDatabase('sqlite');
  const config = loadConfig({
    ...database.env,
    KAFKA_BROKERS: '127.0.0.1:1',
    GATEWAY_PROVIDERS: JSON.stringify([
      {
        name: 'kc',
        issuer: ISSUER,
        algorithms: ['RS256'],
        maxTokenLifetimeMs: 1,
        backchannelLogout: { clientId: 'c' },
      },
    ]),
  });
  const logger = pino({ level: 'silent' });
  const metrics = new GatewayMetrics({ kafkaUp: () => 0, streamsUp: () => new Map() });
  // The gateway's write path, never started: no relay runs, nothing reaches for Kafka.
  issuer = createIssuer<GatewayDatabase>({
    database: config.database,
    migrations: gatewayMigrations,
    kafka: config.kafka,
    outbox: config.outbox,
    retention: { maxTokenLifetimeMs: 1, clockToleranceMs: config.clockToleranceMs },
    metrics: { registry: metrics.registry, prefix: 'revocation_gateway_' },
    events: { clockToleranceMs: config.clockToleranceMs },
    logger,
    now: () => NOW,
  });
  await issuer.migrate();
  store = issuer.store;
  ctx = { config, issuer, store, logger, metrics, now: () => NOW };
});
afterAll(async () => {
  await issuer.stop();
  await database.drop();
});

const commit = (jti: string, cutoff: number) =>
  commitSignal(ctx, {
    issuer: ISSUER,
    actor: 'gateway:kc',
    source: 'ssf-push',
    jti,
    replayGuardUntil: NOW + 60_000,
    draft: { kind: 'subject', sub: 'user-1', cutoff, reason: 'password-change' },
  });

/** The replay guard's rows for `jti`: none once a refused signal is rolled back. */
const seenRows = (jti: string) =>
  store.db.selectFrom('seenSignals').select('jti').where('jti', '=', jti).execute();

describe('commitSignal', () => {
  it('writes the jti and the event together and wakes the relay once committed', async () => {
    const wake = vi.spyOn(issuer.relay, 'wake');
    expect(await commit('j-ok', NOW - 1000)).toMatchObject({
      outcome: 'committed',
      event: { kind: 'subject', iss: ISSUER, issuedAt: NOW },
    });
    expect(wake).toHaveBeenCalledTimes(1);
    wake.mockRestore();
    expect(await commit('j-ok', NOW - 1000)).toEqual({ outcome: 'duplicate' });
    expect((await outboxEvents(store)).filter((e) => e.kind === 'subject')).toHaveLength(1);
  });

  it('rolls the jti back with a refused event: nothing is marked seen that was not published', async () => {
    await expect(commit('j-future', NOW + 3_600_000)).rejects.toMatchObject({
      code: 'CUTOFF_IN_FUTURE',
    });
    expect(await seenRows('j-future')).toEqual([]);
    expect(await commit('j-future', NOW)).toMatchObject({ outcome: 'committed' });
  });

  it('refuses a rule the event schema refuses (a sid over 256 characters) and marks nothing seen', async () => {
    const error: unknown = await commitSignal(ctx, {
      issuer: ISSUER,
      actor: 'gateway:kc',
      source: 'ssf-poll',
      jti: 'j-long-sid',
      replayGuardUntil: NOW + 60_000,
      draft: { kind: 'session', sid: 's'.repeat(300), reason: 'logout' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignalRefusedError);
    expect(error).toMatchObject({ code: 'EVENT_INVALID', answer: { status: 400, retry: false } });
    expect(await seenRows('j-long-sid')).toEqual([]);
  });

  it('answers a duplicate delivered beside other signals without costing them a re-run', async () => {
    const split = store.commits.stats().splitBatches;
    const before = (await outboxEvents(store)).length;
    const results = await Promise.all([
      commit('j-batch', NOW - 1000),
      commit('j-batch', NOW - 1000),
      commit('j-batch-other', NOW - 1000),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['committed', 'duplicate', 'committed']);
    expect(store.commits.stats().splitBatches).toBe(split);
    expect((await outboxEvents(store)).length).toBe(before + 2);
  });

  it('keeps the same jti of two issuers apart', async () => {
    const other = await commitSignal(ctx, {
      issuer: 'https://other.test',
      actor: 'gateway:other',
      source: 'backchannel',
      jti: 'j-ok',
      replayGuardUntil: NOW + 60_000,
      draft: undefined,
    });
    expect(other).toEqual({ outcome: 'committed', event: undefined });
  });

  it('purges only the jti rows whose replay window has closed', async () => {
    await commitSignal(ctx, {
      issuer: ISSUER,
      actor: 'gateway:kc',
      source: 'backchannel',
      jti: 'j-old',
      replayGuardUntil: NOW - 1,
      draft: undefined,
    });
    expect(await purgeSeenSignals(store.db, NOW)).toBe(1);
    const left = await store.db.selectFrom('seenSignals').select('jti').execute();
    expect(left.map((r) => r.jti)).not.toContain('j-old');
    expect(left.map((r) => r.jti)).toContain('j-ok');
  });
});
