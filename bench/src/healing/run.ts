/**
 * Healing after a broker outage: how long after the broker answers again is every revocation
 * committed during the outage enforced on every verifier, and are the verifiers fresh?
 *
 * One single-node cluster of this run's own (testkit `startFaultKafka`), one SQLite outbox with
 * the real relay and Kafka publisher (retry cap 30 s, the production default), two verifiers
 * with the Kafka feed (`onStale` closed and open, `maxStalenessMs` 3 s). For each outage length:
 * stop the node, commit 50 session revocations, wait out the outage, start the node while
 * sending an ApiVersions request every 50 ms; the clock starts at the first answer (or when
 * `startNode` returns, if earlier) and stops when both verifiers refuse all 50 tokens with
 * TOKEN_REVOKED and are not stale (checked every 20 ms).
 *
 *   pnpm build && node bench/dist/healing/run.js [--outages 5,60,300] [--repeat 1]
 *
 * Writes bench/results/healing/<date>.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { probeBrokers } from '@revocation-fabric/kafka-connection';
import { OutboxRelay, enqueue, outboxMigration } from '@revocation-fabric/publisher';
import type { OutboxSchema } from '@revocation-fabric/publisher';
import { kafkaPublisher } from '@revocation-fabric/publisher/kafka';
import { startFaultKafka, uniqueTopic } from '@revocation-fabric/testkit';
import { VerifierError, createVerifier } from '@revocation-fabric/verifier';
import type { Verifier } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const ISSUER = 'https://healing.bench';
const AUDIENCE = 'healing-bench';
const REVOCATIONS = 50;

interface HealingCase {
  readonly outageS: number;
  /** ms from the broker's first answer until every verifier refused every token and was fresh. */
  readonly healMs: number;
  /** ms from the first answer until each verifier (closed, open) healed. */
  readonly byVerifierMs: readonly number[];
  /** ms from the first answer until the relay had published the whole backlog. */
  readonly publishedMs: number;
  /** ms from the first answer until each verifier was no longer stale. */
  readonly freshMs: readonly number[];
  /** ms from `startNode` called to the broker's first answer (JVM start), context only. */
  readonly restartMs: number;
}

const { values } = parseArgs({
  options: {
    outages: { type: 'string', default: '5,60,300' },
    repeat: { type: 'string', default: '1' },
  },
});
const outages = values.outages.split(',').map(Number);
const repeat = Number(values.repeat);

const kafka = await startFaultKafka({ name: 'bench-healing', log: (line) => console.log(line) });
const [broker] = kafka.brokers;
if (broker === undefined) throw new Error('no broker');
const dir = mkdtempSync(join(tmpdir(), 'healing-'));
const sqlite = new SqliteDatabase(join(dir, 'outbox.sqlite'));
const db = new Kysely<OutboxSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
const verifiers: Verifier[] = [];
const topic = uniqueTopic('healing');
const relay = new OutboxRelay({
  db,
  dialect: 'sqlite',
  publisher: kafkaPublisher({
    brokers: kafka.brokers,
    topic,
    clientId: 'healing-bench',
    createTopic: { partitions: 6, maxTokenLifetimeMs: 900_000 },
  }),
  pollIntervalMs: 100,
  maxRetryDelayMs: 30_000,
  observer: {
    published: (count) => {
      published += count;
      lastPublishAt = Date.now();
    },
  },
});
const cases: HealingCase[] = [];
let published = 0;
let lastPublishAt = 0;
try {
  await outboxMigration({ dialect: 'sqlite' }).up(db as unknown as Kysely<unknown>);
  await relay.prepare(10_000);
  relay.start();
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  for (const onStale of ['closed', 'open'] as const) {
    verifiers.push(
      createVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['ES256'],
        jwks: { keys: [jwk] },
        revocations: kafkaRevocations({
          brokers: kafka.brokers,
          topic,
          clientId: `heal-${onStale}`,
        }),
        onStale,
        maxStalenessMs: 3_000,
      }),
    );
  }
  await Promise.all(verifiers.map((v) => v.ready()));

  const refusesAll = async (verifier: Verifier, tokens: readonly string[]) => {
    if (verifier.stats().stale || !verifier.stats().serving) return false;
    for (const token of tokens) {
      try {
        await verifier.verify(token);
        return false;
      } catch (error) {
        if (!(error instanceof VerifierError) || error.code !== 'TOKEN_REVOKED') return false;
      }
    }
    return true;
  };

  for (const outageS of outages) {
    for (let r = 0; r < repeat; r += 1) {
      const sids = Array.from({ length: REVOCATIONS }, () => randomUUID());
      const iat = Math.floor(Date.now() / 1000) - 2;
      const tokens = await Promise.all(
        sids.map((sid) =>
          new SignJWT({ sid, jti: randomUUID() })
            .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setSubject(`u-${sid}`)
            .setIssuedAt(iat)
            .setExpirationTime(iat + 900)
            .sign(privateKey),
        ),
      );
      const downAt = Date.now();
      const publishedBefore = published;
      await kafka.stopNode(1);
      for (const sid of sids) {
        await db.transaction().execute(async (trx) => {
          await enqueue(trx, {
            kind: 'session',
            sid,
            reason: 'logout',
            actor: 'bench',
            iss: ISSUER,
          });
        });
        relay.wake();
      }
      await sleep(Math.max(0, downAt + outageS * 1000 - Date.now()));
      const startCalledAt = Date.now();
      let answeredAt: number | undefined;
      let starting = true;
      const watch = (async () => {
        while (starting && answeredAt === undefined) {
          if (await probeBrokers({ brokers: [broker], tls: undefined, timeoutMs: 200 })) {
            answeredAt = Date.now();
          } else await sleep(50);
        }
      })();
      await kafka.startNode(1);
      const startedAt = Date.now();
      starting = false;
      await watch;
      const backAt = Math.min(answeredAt ?? startedAt, startedAt);
      const freshAt = verifiers.map(() => 0);
      const freshWatch = setInterval(() => {
        verifiers.forEach((v, i) => {
          if (freshAt[i] === 0 && !v.stats().stale) freshAt[i] = Date.now();
        });
      }, 10);
      const byVerifierMs = await Promise.all(
        verifiers.map(async (verifier) => {
          const deadline = Date.now() + 120_000;
          while (!(await refusesAll(verifier, tokens))) {
            if (Date.now() > deadline)
              throw new Error(`not healed 120 s after a ${outageS} s outage`);
            await sleep(20);
          }
          return Date.now() - backAt;
        }),
      );
      clearInterval(freshWatch);
      if (published - publishedBefore < REVOCATIONS) throw new Error('relay did not publish all');
      const result = {
        outageS,
        healMs: Math.max(...byVerifierMs),
        byVerifierMs,
        publishedMs: lastPublishAt - backAt,
        freshMs: freshAt.map((at) => at - backAt),
        restartMs: backAt - startCalledAt,
      };
      cases.push(result);
      console.log(`[healing] ${JSON.stringify(result)}`);
    }
  }
} finally {
  await Promise.all(verifiers.map((v) => v.close()));
  await relay.stop();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
  await kafka.close();
}

// A folder of its own: report.ts takes every *.json directly in results/ for a `pnpm bench` run.
const resultsDir = fileURLToPath(new URL('../../results/healing/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, `${new Date().toISOString().slice(0, 10)}.json`),
  `${JSON.stringify({ at: new Date().toISOString(), revocations: REVOCATIONS, cases }, null, 2)}\n`,
);
console.log('outage (s) | heal ms (closed / open) | relay published ms | fresh ms | restart ms');
for (const c of cases) {
  console.log(
    `${c.outageS} | ${c.healMs} (${c.byVerifierMs.join(' / ')}) | ${c.publishedMs} | ${c.freshMs.join(' / ')} | ${c.restartMs}`,
  );
}
