/**
 * B1 worker: one verifier, in this process, fed by a topic of N live rules; times
 * `verifier.verify()` on cached and new tokens against bare jose and jose + a Redis lookup.
 * A process per rule count keeps the heaps (and GC work) of the cases apart.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { VerifiedToken } from '@revocation-fabric/verifier';
import type { Message } from '../lib/child.js';
import { MAX_TOKEN_LIFETIME_MS } from '../lib/kafka.js';
import { connectRedis, loadRevokedKeys, unlinkRevokedKeys } from '../lib/redis.js';
import { summarize } from '../lib/stats.js';
import type { Distribution } from '../lib/stats.js';
import {
  timeAlternatingAsync,
  timeBatchesAsync,
  timeBatchesSync,
  timeEachAsync,
  timerOverheadNs,
} from '../lib/timing.js';
import { VERIFIER_JOSE_OPTIONS, createBenchKey, keySet, mintTokens } from '../lib/tokens.js';
import { fail, listen, reply } from '../lib/worker-side.js';
import { benchVerifier } from '../lib/bench-verifier.js';

export interface CheckCostRequest extends Message {
  readonly type: 'run';
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /** Cache-hit verifications timed. */
  readonly hotOps: number;
  /** Distinct tokens cycled through on the hot path (all cached). */
  readonly warmTokens: number;
  /** New tokens per variant on the cold path. */
  readonly coldOps: number;
}

/** Figures of one rule count; distributions in µs per operation. */
export interface CheckCostCase {
  readonly rules: number;
  readonly rulesByKind: Readonly<Record<string, number>>;
  /** Replay of the topic until ready(), ms. */
  readonly replayMs: number;
  readonly timerOverheadNs: number;
  /** verify() of a token verified before (cache hit), per call. */
  readonly hotVerify: Distribution;
  /** The same, reusing one string object per token (its hash already computed by V8). */
  readonly hotVerifySameString: Distribution;
  /** The latter as the median of batch means (1,000 calls per batch). */
  readonly hotVerifyBatchMeanUs: number;
  /** check() of a VerifiedToken (synchronous), median of batch means. */
  readonly checkBatchMeanUs: number;
  /** verify() of a token never seen (full jose verification + cache insert + lookup). */
  readonly coldVerify: Distribution;
  /** The same with `cacheSize: 0`: a miss without the cache insert. */
  readonly coldVerifyNoCache: Distribution;
  /** jose.jwtVerify with the same local JWK Set, algorithms and claim checks. */
  readonly joseJwks: Distribution;
  /** jose.jwtVerify with the public key object itself. */
  readonly joseKey: Distribution;
  /** jose.jwtVerify (JWK Set) + `EXISTS revoked:<jti>` in Redis. */
  readonly joseRedis: Distribution;
  /** The Redis `EXISTS` round trip alone. */
  readonly redisExists: Distribution;
}

export interface CheckCostResult extends Message {
  readonly type: 'result';
  readonly result: CheckCostCase;
}

const COLD_BLOCK = 50;

/** A new sequential string equal to `token`, as parsing a request header yields. */
function fresh(token: string): string {
  return Buffer.from(token, 'latin1').toString('latin1');
}
const COLD_WARMUP = 200;

async function run(request: CheckCostRequest): Promise<CheckCostCase> {
  const key = await createBenchKey();
  const verifier = benchVerifier({
    jwks: keySet(key),
    brokers: request.brokers,
    topic: request.topic,
    clientId: 'bench-b1',
  });
  // The same verifier without its cache isolates what the cache insert (and the GC work of
  // the entries it keeps) adds to a miss.
  const uncached = benchVerifier({
    jwks: keySet(key),
    brokers: request.brokers,
    topic: request.topic,
    clientId: 'bench-b1-nocache',
    cacheSize: 0,
  });
  const redis = await connectRedis(request.redisUrl);
  let loadedKeys = 0;
  try {
    const replayStarted = performance.now();
    await verifier.ready();
    await uncached.ready();
    const replayMs = Math.round(performance.now() - replayStarted);
    const rulesByKind = verifier.stats().rulesByKind;
    const rules = Object.values(rulesByKind).reduce((a, b) => a + b, 0);
    loadedKeys = rules;
    await loadRevokedKeys(
      redis,
      request.redisPrefix,
      rules,
      Math.ceil(MAX_TOKEN_LIFETIME_MS / 1000),
    );

    const jwks = createLocalJWKSet(keySet(key));
    const warm = await mintTokens(key, request.warmTokens);
    const cold = await mintTokens(key, request.coldOps + COLD_WARMUP);
    const overhead = timerOverheadNs();

    // Hot path: every warm token verified once, then cycled; first a JIT warm-up. Each call
    // gets a fresh copy of its token string, as a request does when its header is parsed: V8
    // hashes a string the first time it is used as a Map key (the cache is keyed by the whole
    // ~550-character token) and keeps the hash in the string, so reusing one string object
    // would leave that cost out.
    const verified: VerifiedToken[] = [];
    for (const token of warm) verified.push(await verifier.verify(token));
    const freshWarm = (i: number) => fresh(warm[i % warm.length] ?? '');
    // Half a cycle apart from freshWarm: alternating calls must not touch the same entry twice
    // in a row, or the second would find it in the CPU caches.
    const sameWarm = (i: number) => warm[(i + (warm.length >> 1)) % warm.length] ?? '';
    const verify = (token: string) => verifier.verify(token);
    await timeEachAsync(Math.min(request.hotOps, 50_000), overhead, freshWarm, verify);
    const [hot, hotSame] = await timeAlternatingAsync(
      request.hotOps,
      overhead,
      [freshWarm, sameWarm],
      verify,
    );
    const hotBatches = await timeBatchesAsync(
      Math.max(20, Math.floor(request.hotOps / 10_000)),
      1_000,
      (i) => verifier.verify(sameWarm(i)),
    );
    const checkBatches = timeBatchesSync(200, 10_000, (i) => {
      verifier.check(verified[i % verified.length] as VerifiedToken);
    });

    // Cold path: each variant gets the same new tokens, in blocks whose order rotates, so a
    // burst of background load cannot favour one variant.
    const variants = {
      coldVerify: (token: string) => verifier.verify(token),
      coldVerifyNoCache: (token: string) => uncached.verify(token),
      joseJwks: (token: string) => jwtVerify(token, jwks, VERIFIER_JOSE_OPTIONS),
      joseKey: (token: string) => jwtVerify(token, key.publicKey, VERIFIER_JOSE_OPTIONS),
      joseRedis: async (token: string) => {
        const { payload } = await jwtVerify(token, jwks, VERIFIER_JOSE_OPTIONS);
        if ((await redis.exists(`${request.redisPrefix}${payload.jti ?? ''}`)) !== 0) {
          throw new Error('unexpectedly revoked');
        }
      },
      redisExists: (token: string) => redis.exists(`${request.redisPrefix}${token.slice(-16)}`),
    } as const;
    type Variant = keyof typeof variants;
    const names = Object.keys(variants) as Variant[];
    const warmup = cold.slice(0, COLD_WARMUP);
    const measured = cold.slice(COLD_WARMUP);
    for (const name of names) {
      for (const token of warmup) await variants[name](token);
    }
    const samples: Record<Variant, number[]> = {
      coldVerify: [],
      coldVerifyNoCache: [],
      joseJwks: [],
      joseKey: [],
      joseRedis: [],
      redisExists: [],
    };
    for (let start = 0, block = 0; start < measured.length; start += COLD_BLOCK, block++) {
      const tokens = measured.slice(start, start + COLD_BLOCK);
      for (let v = 0; v < names.length; v++) {
        const name = names[(v + block) % names.length] as Variant;
        const operation = variants[name];
        const timed = await timeEachAsync(
          tokens.length,
          overhead,
          (i) => fresh(tokens[i] ?? ''),
          operation,
        );
        samples[name].push(...timed);
      }
    }

    const us = (values: ArrayLike<number>) => summarize(values, 1e-3, 3);
    const batchMedian = (values: Float64Array) => summarize(values, 1e-3, 4).p50;
    return {
      rules,
      rulesByKind,
      replayMs,
      timerOverheadNs: overhead,
      hotVerify: us(hot),
      hotVerifySameString: us(hotSame),
      hotVerifyBatchMeanUs: batchMedian(hotBatches),
      checkBatchMeanUs: batchMedian(checkBatches),
      coldVerify: us(samples.coldVerify),
      coldVerifyNoCache: us(samples.coldVerifyNoCache),
      joseJwks: us(samples.joseJwks),
      joseKey: us(samples.joseKey),
      joseRedis: us(samples.joseRedis),
      redisExists: us(samples.redisExists),
    };
  } finally {
    await unlinkRevokedKeys(redis, request.redisPrefix, loadedKeys).catch(() => undefined);
    await redis.quit().catch(() => undefined);
    await Promise.all([verifier.close(), uncached.close()]);
  }
}

listen<CheckCostRequest | { type: 'stop' }>(async (message) => {
  if (message.type === 'stop') process.exit(0);
  const result = await run(message);
  reply<CheckCostResult>({ type: 'result', result });
});
process.on('uncaughtException', fail);
