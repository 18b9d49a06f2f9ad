/**
 * `pnpm bench [--quick] [--only B1,B4] [--rounds N]`: runs the benchmarks, writes
 * `bench/results/<date>-<sha>[-quick][-B1-B4].json`, then regenerates `bench/RESULTS.md` and the
 * propagation chart from the newest result file. Benchmarks are scripts, not tests: nothing
 * here fails on a time; a benchmark that breaks is recorded with its error and the rest go on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getKafka, uniqueTopic } from '@revocation-fabric/testkit';
import { runB1 } from './check-cost/run.js';
import { runB2 } from './http/run.js';
import { runB3 } from './propagation/run.js';
import { runB4 } from './cold-start/run.js';
import { runB5 } from './memory/run.js';
import { runB6 } from './keycloak/run.js';
import { runB7 } from './idle/run.js';
import { runB8 } from './issuer/run.js';
import { runB9 } from './client-choice/run.js';
import { runB10 } from './fleet/run.js';
import { runB11 } from './storm/run.js';
import { runB12 } from './tracing/run.js';
import { runB13 } from './receipts/run.js';
import type { BenchContext } from './context.js';
import { createRevocationTopic, deleteTopics, fillRuleTopic } from './lib/kafka.js';
import type { RuleTopic } from './lib/kafka.js';
import { gitInfo, machineInfo } from './lib/machine.js';
import { connectRedis, redisUrl } from './lib/redis.js';
import { writeReport } from './report.js';
import { BENCH_ALIASES, BENCH_IDS, CLIENT_CHOICE_FILE, isFailure } from './results.js';
import type { BenchFailure, BenchId, BenchResults } from './results.js';
import { evaluateTargets } from './targets.js';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_DIR = join(BENCH_DIR, '..');
const RESULTS_DIR = join(BENCH_DIR, 'results');

interface Args {
  readonly quick: boolean;
  readonly only: readonly BenchId[];
  readonly rounds: number | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  let quick = false;
  let only: BenchId[] = [...BENCH_IDS];
  let rounds: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') continue;
    if (arg === '--quick') quick = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      const ids = (value ?? '')
        .split(',')
        .map((id) => id.trim().toUpperCase())
        .map((id) => BENCH_ALIASES[id] ?? id);
      const unknown = ids.filter((id) => !(BENCH_IDS as readonly string[]).includes(id));
      if (ids.length === 0 || unknown.length > 0) {
        throw new TypeError(
          `--only takes a list of ${BENCH_IDS.join(',')} (keycloak = B6, idle = B7, issuer = B8, client-choice = B9, fleet = B10, storm = B11, tracing = B12, receipts = B13), got ${String(value)}`,
        );
      }
      only = ids as BenchId[];
    } else if (arg === '--rounds' || arg.startsWith('--rounds=')) {
      const value = arg === '--rounds' ? argv[++i] : arg.slice('--rounds='.length);
      rounds = Number(value);
      if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10_000) {
        throw new TypeError(`--rounds takes an integer from 1 to 10000, got ${String(value)}`);
      }
    } else {
      throw new TypeError(
        `unknown argument ${arg}; usage: pnpm bench [--quick] [--only B1,B4|keycloak|idle|issuer|client-choice|fleet|storm|tracing|receipts] [--rounds N]`,
      );
    }
  }
  return { quick, only, rounds };
}

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function attempt<T>(id: BenchId, run: () => Promise<T>): Promise<T | BenchFailure> {
  const started = performance.now();
  log(`${id}: start`);
  try {
    const result = await run();
    log(`${id}: done in ${Math.round((performance.now() - started) / 1000)} s`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${id}: FAILED: ${message}`);
    return { error: message };
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  log(`mode ${args.quick ? 'quick' : 'full'}, benchmarks ${args.only.join(',')}`);
  const kafka = await getKafka({ log });
  // Only B1 and B2 use Redis (their baselines): a run without them does not need one.
  let redisVersion = 'not used';
  if (args.only.some((id) => id === 'B1' || id === 'B2')) {
    const redis = await connectRedis();
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
    await redis.quit();
  }

  const cleanups: Array<() => Promise<void>> = [];
  const topics = new Map<number, Promise<RuleTopic>>();
  const ctx: BenchContext = {
    quick: args.quick,
    ...(args.rounds === undefined ? {} : { rounds: args.rounds }),
    brokers: kafka.brokers,
    kafkaVersion: kafka.kafkaVersion,
    redisUrl: redisUrl(),
    log,
    ruleTopic(count) {
      let topic = topics.get(count);
      if (topic === undefined) {
        topic = (async () => {
          log(`producing a topic of ${count} rules`);
          const made =
            count === 0
              ? await (async (): Promise<RuleTopic> => {
                  const name = `bench-rules-0-${Date.now().toString(36)}`;
                  await createRevocationTopic(kafka.brokers, name);
                  return { topic: name, count: 0, byKind: {}, loadMs: 0 };
                })()
              : await fillRuleTopic(kafka.brokers, uniqueTopic(`bench-rules-${count}`), count);
          cleanups.push(() => deleteTopics(kafka.brokers, [made.topic]));
          log(`topic of ${count} rules produced in ${made.loadMs} ms`);
          return made;
        })();
        topics.set(count, topic);
      }
      return topic;
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
  };

  const selected = new Set(args.only);
  const partial: {
    -readonly [K in `b${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13}`]?: BenchResults[K];
  } = {};
  try {
    // B4 first: it produces the rule topics B1 and B2 reuse, and times them on a quiet broker.
    if (selected.has('B4')) partial.b4 = await attempt('B4', () => runB4(ctx));
    if (selected.has('B1')) partial.b1 = await attempt('B1', () => runB1(ctx));
    if (selected.has('B2')) partial.b2 = await attempt('B2', () => runB2(ctx));
    if (selected.has('B5')) partial.b5 = await attempt('B5', () => runB5(ctx));
    // Before B3: idle figures want a broker that is not digesting a load test.
    if (selected.has('B7')) partial.b7 = await attempt('B7', () => runB7(ctx));
    // Also before B3, on a quiet broker: its idle and cold-start figures are of the clients alone.
    if (selected.has('B9')) partial.b9 = await attempt('B9', () => runB9(ctx));
    if (selected.has('B3')) partial.b3 = await attempt('B3', () => runB3(ctx));
    if (selected.has('B8')) partial.b8 = await attempt('B8', () => runB8(ctx));
    // In process, no broker traffic: its ratios are of two arms measured side by side.
    if (selected.has('B12')) partial.b12 = await attempt('B12', () => runB12(ctx));
    // On clusters of their own (JMX, broker pids known); after the others, whose figures want
    // the shared broker quiet, and before Keycloak's JVM.
    if (selected.has('B10')) partial.b10 = await attempt('B10', () => runB10(ctx));
    if (selected.has('B11')) partial.b11 = await attempt('B11', () => runB11(ctx));
    // Its own 1-node cluster with JMX, like B10 and B11.
    if (selected.has('B13')) partial.b13 = await attempt('B13', () => runB13(ctx));
    // Last: it starts Keycloak (a JVM), which would weigh on every figure measured beside it.
    if (selected.has('B6')) partial.b6 = await attempt('B6', () => runB6(ctx));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await kafka.stop();
  }

  const results: BenchResults = {
    schema: 1,
    mode: args.quick ? 'quick' : 'full',
    only: args.only,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    git: gitInfo(REPO_DIR),
    machine: machineInfo(kafka, redisVersion),
    ...partial,
    targets: [],
  };
  const withTargets: BenchResults = { ...results, targets: evaluateTargets(results) };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(
    RESULTS_DIR,
    `${startedAt.toISOString().slice(0, 10)}-${withTargets.git.sha}${args.quick ? '-quick' : ''}${
      args.only.length < BENCH_IDS.length ? `-${args.only.join('-')}` : ''
    }.json`,
  );
  writeFileSync(file, `${JSON.stringify(withTargets, null, 2)}\n`);
  log(`wrote ${file}`);
  if (withTargets.b9 !== undefined && !isFailure(withTargets.b9)) {
    // The client decision cites one stable file; the dated file above is the run's record.
    const choice = join(RESULTS_DIR, CLIENT_CHOICE_FILE);
    const { startedAt: from, finishedAt: to, git, machine, mode, b9 } = withTargets;
    writeFileSync(
      choice,
      `${JSON.stringify({ mode, startedAt: from, finishedAt: to, git, machine, clientChoice: b9 }, null, 2)}\n`,
    );
    log(`wrote ${choice}`);
  }
  const report = writeReport(RESULTS_DIR, BENCH_DIR);
  log(`wrote ${report.markdown} and ${report.chart} from ${report.source}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
