/**
 * Client-choice worker: one process running broadcast readers of one client — N idle ones
 * (their CPU and requests sampled by the parent), one that reports the arrival of every record
 * (propagation), or one timed replay of a filled topic (cold start). Only the measured client is
 * loaded: each arm's module is imported when asked for.
 */
import { decodeEvent } from '@revocation-fabric/protocol';
import type { BroadcastConsumer, BroadcastConsumerOptions } from '../lib/broadcast-consumer.js';
import type { ReaderKind } from '../lib/broadcast-consumer.js';
import { WarningLog } from '../lib/broadcast-consumer.js';
import { countBrokerRequests } from '../lib/broker-requests.js';
import { wallClockMs } from '../lib/clock.js';
import { fail, listen, reply } from '../lib/worker-side.js';

interface Target {
  readonly client: ReaderKind;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly fetchWaitMs: number;
}

export type ClientChoiceRequest =
  | (Target & {
      readonly type: 'start';
      /** Readers in this process, each with its own client and group. */
      readonly count: number;
      /** Report each record's arrival (`received`). */
      readonly receipts: boolean;
    })
  | (Target & {
      readonly type: 'replay';
      /** Decode and validate each record with the protocol's codec, as the verifier does. */
      readonly decode: boolean;
    })
  | { readonly type: 'sample' }
  | { readonly type: 'stop' };

/** Requests by Kafka API name. */
export type RequestCounts = Readonly<Record<string, number>>;

export type ClientChoiceReply =
  | { readonly type: 'ready'; readonly ms: number }
  | { readonly type: 'received'; readonly key: string; readonly at: number }
  | {
      readonly type: 'sample';
      /** `process.cpuUsage()` user + system, ms. */
      readonly cpuMs: number;
      /** TCP writes to the brokers since start (one per request for both clients). */
      readonly socketRequests: number;
      /** Requests the clients report, summed over the readers. */
      readonly requests: RequestCounts;
      readonly warnings: readonly string[];
    }
  | {
      readonly type: 'replayed';
      /** From creating the client to the last record below the start marks, ms. */
      readonly ms: number;
      /** CPU (`process.cpuUsage()`) over the same span, ms. */
      readonly cpuMs: number;
      readonly records: number;
      /** Records the codec rejected (expected 0). */
      readonly poison: number;
      readonly heapUsed: number;
      readonly requests: RequestCounts;
      readonly warnings: readonly string[];
    };

/** The verifier's default clock tolerance, ms. */
const CLOCK_TOLERANCE_MS = 5_000;
const EMPTY = new Uint8Array(0);

const processWarnings = new WarningLog();
process.on('warning', (warning) => processWarnings.add(`node ${warning.name}: ${warning.message}`));
const socketRequests = countBrokerRequests();
let readers: BroadcastConsumer[] = [];

async function startReader(
  client: ReaderKind,
  options: BroadcastConsumerOptions,
): Promise<BroadcastConsumer> {
  if (client === 'kafkajs') {
    const { kafkajsBroadcastConsumer } = await import('../lib/kafka.js');
    return kafkajsBroadcastConsumer(options);
  }
  const { platformaticBroadcastConsumer } = await import('../lib/platformatic-kafka.js');
  return platformaticBroadcastConsumer(options, client === 'platformatic' ? 'feed' : 'defaults');
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function requestCounts(): RequestCounts {
  const sum: Record<string, number> = {};
  for (const reader of readers) {
    for (const [api, count] of reader.requestsByApi()) sum[api] = (sum[api] ?? 0) + count;
  }
  return sum;
}

function warnings(): readonly string[] {
  return [...processWarnings.lines(), ...readers.flatMap((reader) => reader.warnings())];
}

async function start(request: Extract<ClientChoiceRequest, { type: 'start' }>): Promise<void> {
  const started = performance.now();
  readers = await Promise.all(
    Array.from({ length: request.count }, (_, i) =>
      startReader(request.client, {
        brokers: request.brokers,
        topic: request.topic,
        fetchWaitMs: request.fetchWaitMs,
        clientId: `bench-cc-${request.client}-${i}`,
        onRecord: request.receipts
          ? (record) =>
              reply<ClientChoiceReply>({
                type: 'received',
                key: record.key?.toString() ?? '',
                at: wallClockMs(),
              })
          : () => undefined,
      }),
    ),
  );
  await Promise.all(readers.map((reader) => reader.replayed));
  reply<ClientChoiceReply>({ type: 'ready', ms: performance.now() - started });
}

async function replay(request: Extract<ClientChoiceRequest, { type: 'replay' }>): Promise<void> {
  let records = 0;
  let poison = 0;
  const cpuBefore = cpuMs();
  const started = performance.now();
  const reader = await startReader(request.client, {
    brokers: request.brokers,
    topic: request.topic,
    fetchWaitMs: request.fetchWaitMs,
    clientId: `bench-cc-replay-${request.client}`,
    onRecord: request.decode
      ? ({ value, timestamp }) => {
          records += 1;
          try {
            decodeEvent(value ?? EMPTY, {
              now: timestamp > 0 ? timestamp : undefined,
              clockToleranceMs: CLOCK_TOLERANCE_MS,
            });
          } catch {
            poison += 1;
          }
        }
      : () => {
          records += 1;
        },
  });
  readers = [reader];
  await reader.replayed;
  const ms = performance.now() - started;
  const cpu = cpuMs() - cpuBefore;
  reply<ClientChoiceReply>({
    type: 'replayed',
    ms,
    cpuMs: cpu,
    records,
    poison,
    heapUsed: process.memoryUsage().heapUsed,
    requests: requestCounts(),
    warnings: warnings(),
  });
}

listen<ClientChoiceRequest>(async (message) => {
  switch (message.type) {
    case 'start':
      await start(message);
      break;
    case 'replay':
      await replay(message);
      break;
    case 'sample':
      reply<ClientChoiceReply>({
        type: 'sample',
        cpuMs: cpuMs(),
        socketRequests: socketRequests(),
        requests: requestCounts(),
        warnings: warnings(),
      });
      break;
    case 'stop':
      await Promise.allSettled(readers.map((reader) => reader.close()));
      process.exit(0);
  }
});
process.on('uncaughtException', fail);
