/**
 * B1 — check cost in process: `verifier.verify()` on a cached token and on a new one, with 0 and
 * two larger rule counts loaded, against bare jose and jose + a Redis lookup per request.
 */
import { randomBytes } from 'node:crypto';
import type { BenchContext } from '../context.js';
import { ruleSizes } from '../context.js';
import { WorkerProcess } from '../lib/child.js';
import { ratio } from '../lib/stats.js';
import type { CheckCostCase, CheckCostRequest, CheckCostResult } from './worker.js';

export interface B1Case extends CheckCostCase {
  readonly ratios: {
    /** Bare jose (JWK Set) median ÷ cache-hit verify median: how much faster the hot path is. */
    readonly joseOverHot: number;
    /** Cold verify median ÷ bare jose (JWK Set) median: the verifier's overhead on a miss. */
    readonly coldOverJose: number;
    /** Cold verify without cache ÷ bare jose (JWK Set): the miss path minus the cache. */
    readonly coldNoCacheOverJose: number;
    /** Cold verify median ÷ bare jose with the key object. */
    readonly coldOverJoseKey: number;
    /** jose + Redis median ÷ cache-hit verify median. */
    readonly joseRedisOverHot: number;
    /** jose + Redis median ÷ cold verify median. */
    readonly joseRedisOverCold: number;
  };
}

export interface B1Result {
  readonly method: string;
  readonly hotOps: number;
  readonly coldOps: number;
  readonly cases: readonly B1Case[];
}

export async function runB1(ctx: BenchContext): Promise<B1Result> {
  // Per variant: the hot path alternates fresh and reused token strings.
  const hotOps = ctx.quick ? 200_000 : 2_000_000;
  const coldOps = ctx.quick ? 1_500 : 10_000;
  const cases: B1Case[] = [];
  for (const size of [0, ...ruleSizes(ctx.quick)]) {
    const { topic } = await ctx.ruleTopic(size);
    ctx.log(`B1: ${size} rules`);
    const worker = WorkerProcess.start<CheckCostRequest | { type: 'stop' }, CheckCostResult>(
      'check-cost/worker',
      `b1-${size}`,
    );
    try {
      worker.send({
        type: 'run',
        brokers: ctx.brokers,
        topic,
        redisUrl: ctx.redisUrl,
        redisPrefix: `rf-bench:${randomBytes(4).toString('hex')}:revoked:`,
        hotOps,
        warmTokens: 1_000,
        coldOps,
      });
      const { result } = await worker.next('result', 20 * 60_000);
      cases.push({
        ...result,
        ratios: {
          joseOverHot: ratio(result.joseJwks.p50, result.hotVerify.p50),
          coldOverJose: ratio(result.coldVerify.p50, result.joseJwks.p50),
          coldNoCacheOverJose: ratio(result.coldVerifyNoCache.p50, result.joseJwks.p50),
          coldOverJoseKey: ratio(result.coldVerify.p50, result.joseKey.p50),
          joseRedisOverHot: ratio(result.joseRedis.p50, result.hotVerify.p50),
          joseRedisOverCold: ratio(result.joseRedis.p50, result.coldVerify.p50),
        },
      });
      ctx.log(
        `B1: ${size} rules: hot ${result.hotVerify.p50} µs, cold ${result.coldVerify.p50} µs, jose ${result.joseJwks.p50} µs, jose+redis ${result.joseRedis.p50} µs`,
      );
    } finally {
      await worker.stop();
    }
  }
  return {
    method:
      'One child process per rule count: a verifier replays the rule topic, then every call is timed on its own with process.hrtime.bigint (timer cost subtracted). Hot: 1,000 cached tokens cycled, after a warm-up, each call given a fresh copy of its token string (made outside the timed window) as a parsed request header would be; the same with one reused string object is timed alternately with it, call by call. Cold: new tokens (fresh copies too), the same ones for every variant, in blocks of 50 whose order rotates. Ratios are of medians. A second verifier with cacheSize 0 on the same topic times a miss without the cache insert.',
    hotOps,
    coldOps,
    cases,
  };
}
