/** The one transaction of a signal, on a real SQLite file. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../config/load-config.js';
import type { GatewayContext } from '../context.js';
import { openDataStore } from '../db/connect.js';
import type { DataStore } from '../db/connect.js';
import { migrateToLatest } from '../db/migrations.js';
import { GatewayMetrics } from '../metrics.js';
import { createTestDatabase, outboxEvents } from '../test-support/harness.js';
import type { TestDatabase } from '../test-support/harness.js';
import { commitSignal, purgeSeenSignals } from './commit-signal.js';
import { SignalRefusedError } from './refusal.js';

const NOW = 1_800_000_000_000;
const ISSUER = 'https://idp.test/realms/r';
let database: TestDatabase;
let store: DataStore;
let ctx: GatewayContext;
let woken = 0;

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
  store = openDataStore(config.database, logger);
  await migrateToLatest(store, logger);
  const metrics = new GatewayMetrics({
    backlog: () => Promise.resolve({ depth: 0, oldestCreatedAt: undefined }),
    kafkaUp: () => 0,
    streamsUp: () => new Map(),
    now: () => NOW,
  });
  ctx = { config, store, logger, metrics, now: () => NOW, outboxCommitted: () => (woken += 1) };
});
afterAll(async () => {
  await store.close();
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

describe('commitSignal', () => {
  it('writes the jti and the event together and wakes the relay once committed', async () => {
    const before = woken;
    expect(await commit('j-ok', NOW - 1000)).toMatchObject({
      outcome: 'committed',
      event: { kind: 'subject', iss: ISSUER },
    });
    expect(woken).toBe(before + 1);
    expect(await commit('j-ok', NOW - 1000)).toEqual({ outcome: 'duplicate' });
    expect((await outboxEvents(store)).filter((e) => e.kind === 'subject')).toHaveLength(1);
  });

  it('rolls the jti back with a refused event: nothing is marked seen that was not published', async () => {
    await expect(commit('j-future', NOW + 3_600_000)).rejects.toMatchObject({
      code: 'CUTOFF_IN_FUTURE',
    });
    const seen = await store.db
      .selectFrom('seen_signals')
      .select('jti')
      .where('jti', '=', 'j-future')
      .execute();
    expect(seen).toEqual([]);
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
    const seen = await store.db
      .selectFrom('seen_signals')
      .select('jti')
      .where('jti', '=', 'j-long-sid')
      .execute();
    expect(seen).toEqual([]);
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
    const left = await store.db.selectFrom('seen_signals').select('jti').execute();
    expect(left.map((r) => r.jti)).not.toContain('j-old');
    expect(left.map((r) => r.jti)).toContain('j-ok');
  });
});
