/**
 * The bench's one @platformatic/kafka file: the client-choice benchmark's second arm, a bare
 * broadcast reader set up as the verifier's feed would set this client up (see
 * `broadcast-consumer.ts`; the kafkajs arm is in `kafka.ts`).
 */
import { randomUUID } from 'node:crypto';
import {
  Admin,
  Consumer,
  MessagesStreamModes,
  connectionsApiChannel,
  protocolAPIsById,
} from '@platformatic/kafka';
import type { ConnectionOptions, SASLOptions } from '@platformatic/kafka';
import { ReplayTracker, WarningLog } from './broadcast-consumer.js';
import type { BroadcastConsumer, BroadcastConsumerOptions } from './broadcast-consumer.js';
import { resolveKafkaConnection } from '@revocation-fabric/kafka-connection';
import { kafkaSecurityFromEnvironment } from '@revocation-fabric/service-runtime';

/**
 * The environment's credentials (`KAFKA_SASL_*`, `KAFKA_TLS*`), checked as the verifier's feed
 * checks its own, in this client's option names.
 */
function clientSecurity(brokers: readonly string[]): Pick<ConnectionOptions, 'tls' | 'sasl'> {
  // Read here, not through kafka.ts: a worker of this arm loads no kafkajs.
  const { sasl, tls } = resolveKafkaConnection(
    { brokers, ...kafkaSecurityFromEnvironment(process.env) },
    { defaultClientId: 'bench', name: 'bench kafka' },
  );
  const mechanisms = {
    plain: 'PLAIN',
    'scram-sha-256': 'SCRAM-SHA-256',
    'scram-sha-512': 'SCRAM-SHA-512',
  } as const satisfies Record<string, SASLOptions['mechanism']>;
  return {
    ...(tls === undefined ? {} : { tls: tls === true ? {} : tls }),
    ...(sasl === undefined
      ? {}
      : {
          sasl: {
            mechanism: mechanisms[sasl.mechanism],
            username: sasl.username,
            password: sasl.password,
          },
        }),
  };
}

interface ApiDiagnostic {
  readonly apiKey: number;
  readonly connection: { readonly ownerId: number | undefined };
}

/**
 * Which settings the reader takes besides the feed's own (group, no commits, fetch wait,
 * `minBytes`): `'feed'` — those the verifier's feed gets from kafkajs' defaults, so the two
 * clients fetch alike (1 MiB per partition and 10 MiB per fetch, metadata refreshed every 5 min,
 * session 30 s, rebalance 60 s); `'defaults'` — @platformatic/kafka's own (50 MiB per fetch and
 * per partition, metadata max age 5 s, session 60 s).
 */
export type PlatformaticSettings = 'feed' | 'defaults';

/** kafkajs' defaults, which the verifier's feed runs with (it sets none of them). */
const FEED_SETTINGS = {
  maxBytes: 10 * 1_048_576,
  maxBytesPerPartition: 1_048_576,
  metadataMaxAge: 300_000,
  sessionTimeout: 30_000,
  rebalanceTimeout: 60_000,
  heartbeatInterval: 3_000,
} as const;

/**
 * The @platformatic/kafka arm: a `Consumer` with a group of its own, `autocommit: false`, fetch
 * wait and `minBytes` as the feed's, a stream from the earliest offset, request timeouts enforced
 * per request (one `setTimeout` each, no polling interval). The high-water marks are read with the
 * consumer's own `listOffsets` before the stream starts. Resolves once the consumer joined.
 */
export async function platformaticBroadcastConsumer(
  options: BroadcastConsumerOptions,
  settings: PlatformaticSettings,
): Promise<BroadcastConsumer> {
  const warnings = new WarningLog();
  const groupId = `${options.clientId}-${randomUUID()}`;
  const base = {
    clientId: options.clientId,
    bootstrapBrokers: [...options.brokers],
    connectTimeout: 3_000,
    ...clientSecurity(options.brokers),
  };
  const consumer = new Consumer({
    ...base,
    ...(settings === 'feed' ? FEED_SETTINGS : {}),
    groupId,
    autocommit: false,
    maxWaitTime: options.fetchWaitMs,
    minBytes: 1,
  });
  const requests = new Map<string, number>();
  // Process-wide channel: count this consumer's connections only (a pool's owner is its client).
  const onRequest = (message: unknown) => {
    const { apiKey, connection } = message as ApiDiagnostic;
    if (connection.ownerId !== consumer.instanceId) return;
    const name = protocolAPIsById[apiKey] ?? `api-${apiKey}`;
    requests.set(name, (requests.get(name) ?? 0) + 1);
  };
  connectionsApiChannel.start.subscribe(onRequest);
  consumer.on('client:broker:failed', ({ broker }) =>
    warnings.add(`@platformatic/kafka: broker ${broker.host}:${broker.port} failed`),
  );
  consumer.on('consumer:heartbeat:error', ({ error }) =>
    warnings.add(`@platformatic/kafka heartbeat: ${error.message}`),
  );

  const [latest, earliest] = await Promise.all([
    consumer.listOffsets({ topics: [options.topic] }),
    consumer.listOffsets({ topics: [options.topic], timestamp: -2n }),
  ]);
  const high = latest.get(options.topic) ?? [];
  const low = earliest.get(options.topic) ?? [];
  const marks = new Map(
    high.map((offset, partition) => [
      partition,
      { low: Number(low[partition] ?? 0n), high: Number(offset) },
    ]),
  );
  const tracker = new ReplayTracker(marks);
  const stream = await consumer.consume({
    topics: [options.topic],
    mode: MessagesStreamModes.EARLIEST,
  });
  stream.on('error', (error: Error) =>
    warnings.add(`@platformatic/kafka stream: ${error.message}`),
  );
  stream.on('data', (message) => {
    const offset = Number(message.offset);
    options.onRecord({
      key: message.key ?? null,
      value: message.value ?? null,
      timestamp: Number(message.timestamp),
      partition: message.partition,
      offset,
    });
    tracker.seen(message.partition, offset);
  });
  return {
    startMarks: new Map([...marks].map(([partition, mark]) => [partition, mark.high])),
    replayed: tracker.done,
    requestsByApi: () => requests,
    warnings: () => warnings.lines(),
    close: async () => {
      await stream.close();
      await consumer.close();
      connectionsApiChannel.start.unsubscribe(onRequest);
      const admin = new Admin(base);
      await admin.deleteGroups({ groups: [groupId] }).catch(() => undefined);
      await admin.close();
    },
  };
}
