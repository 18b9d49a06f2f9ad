/**
 * B2 — over HTTP: the same express endpoint with no auth, with the verifier's middleware, and
 * with jose + a Redis lookup per request, loaded by autocannon over loopback. Each server is its
 * own process; autocannon runs in this one. Rounds alternate between the three servers.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import type { BenchContext } from '../context.js';
import { ruleSizes } from '../context.js';
import { WorkerProcess, stopAll } from '../lib/child.js';
import { median, ratio } from '../lib/stats.js';
import { createBenchKey, keySet, mintTokens } from '../lib/tokens.js';
import type { HttpMode, HttpServerReady, HttpServerRequest } from './worker.js';

export interface B2Round {
  readonly requestsPerSecond: number;
  /** Latency percentiles, ms (autocannon's histogram, 1 ms resolution at best). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface B2Mode {
  readonly mode: HttpMode;
  readonly rules: number;
  readonly rounds: readonly B2Round[];
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  /** Median req/s ÷ median req/s of `none`. */
  readonly throughputVsNone: number;
  /** Median p99 ÷ median p99 of `none`. */
  readonly p99VsNone: number;
}

export interface B2Result {
  readonly method: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly rounds: number;
  readonly modes: readonly B2Mode[];
}

const MODES: readonly HttpMode[] = ['none', 'verifier', 'jose-redis'];
const CONNECTIONS = 10;
const DISTINCT_TOKENS = 1_000;

async function load(
  url: string,
  tokens: readonly string[],
  seconds: number,
): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        path: '/resource',
        // Every mode gets the same request bytes: a bearer token from a pool of many users, so
        // the verifier's cache sees realistic reuse rather than one token.
        setupRequest: (request) => ({
          ...request,
          headers: {
            ...request.headers,
            authorization: `Bearer ${tokens[next++ % tokens.length] ?? ''}`,
          },
        }),
      },
    ],
  });
}

export async function runB2(ctx: BenchContext): Promise<B2Result> {
  const rounds = ctx.quick ? 1 : 3;
  const warmupSeconds = ctx.quick ? 1 : 3;
  const durationSeconds = ctx.quick ? 3 : 10;
  const size = ruleSizes(ctx.quick)[0] ?? 0;
  const { topic } = await ctx.ruleTopic(size);
  const key = await createBenchKey();
  const tokens = await mintTokens(key, DISTINCT_TOKENS);
  const servers = new Map<HttpMode, { url: string; rules: number }>();
  const workers: WorkerProcess<HttpServerRequest | { type: 'stop' }, HttpServerReady>[] = [];
  try {
    for (const mode of MODES) {
      const worker = WorkerProcess.start<HttpServerRequest | { type: 'stop' }, HttpServerReady>(
        'http/worker',
        `b2-${mode}`,
      );
      workers.push(worker);
      worker.send({
        type: 'start',
        mode,
        brokers: ctx.brokers,
        topic,
        jwks: keySet(key),
        redisUrl: ctx.redisUrl,
        redisPrefix: `rf-bench:${randomBytes(4).toString('hex')}:revoked:`,
        redisKeys: size,
      });
      const ready = await worker.next('ready', 10 * 60_000);
      servers.set(mode, { url: ready.url, rules: ready.rules });
    }
    const results = new Map<HttpMode, B2Round[]>(MODES.map((mode) => [mode, []]));
    for (let round = 0; round < rounds; round++) {
      for (const mode of MODES) {
        const server = servers.get(mode);
        if (server === undefined) continue;
        await load(server.url, tokens, warmupSeconds);
        const result = await load(server.url, tokens, durationSeconds);
        const measured: B2Round = {
          requestsPerSecond: Math.round(result.requests.average),
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          maxMs: result.latency.max,
          non2xx: result.non2xx,
          errors: result.errors,
        };
        results.get(mode)?.push(measured);
        ctx.log(
          `B2: ${mode}: ${measured.requestsPerSecond} req/s, p99 ${measured.p99Ms} ms, non-2xx ${measured.non2xx}`,
        );
      }
    }
    const summary = MODES.map((mode) => {
      const modeRounds = results.get(mode) ?? [];
      return {
        mode,
        rules: servers.get(mode)?.rules ?? 0,
        rounds: modeRounds,
        requestsPerSecond: median(modeRounds.map((r) => r.requestsPerSecond)),
        p99Ms: median(modeRounds.map((r) => r.p99Ms)),
      };
    });
    const none = summary.find((mode) => mode.mode === 'none');
    return {
      method: `Three server processes (express 5, GET /resource → small JSON), ${size.toLocaleString('en-US')} rules in the verifier's topic and as many revoked keys in Redis. autocannon in the runner process: ${CONNECTIONS} connections, no pipelining, ${DISTINCT_TOKENS} distinct bearer tokens rotated, ${warmupSeconds} s warm-up then ${durationSeconds} s measured, per mode per round; rounds alternate the modes; medians across rounds.`,
      connections: CONNECTIONS,
      durationSeconds,
      rounds,
      modes: summary.map((mode) => ({
        ...mode,
        throughputVsNone: ratio(mode.requestsPerSecond, none?.requestsPerSecond),
        p99VsNone: ratio(mode.p99Ms, none?.p99Ms),
      })),
    };
  } finally {
    await stopAll(workers);
  }
}
