/**
 * The metrics the code really exposes, read from the real registries rather than from a list:
 * the game-service's registry with a verifier registered on it (as the game-service does), and
 * the user-service and the gateway created from their configuration — on a fresh SQLite file,
 * never started, so nothing connects to Kafka — and scraped through their own `/metrics`.
 * Dashboards and alerts are held against what this returns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GameMetrics } from '@revocation-fabric/game-service';
import {
  createGateway,
  loadConfig as loadGatewayConfig,
} from '@revocation-fabric/revocation-gateway';
import {
  createUserService,
  loadConfig as loadUserServiceConfig,
} from '@revocation-fabric/user-service';
import { createVerifier } from '@revocation-fabric/verifier';
import type { FeedStats, RevocationFeed, RevocationFeedFactory } from '@revocation-fabric/verifier';

const METRIC_TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'] as const;

/** A metric family's Prometheus type, as the text format's `# TYPE` line states it. */
export type MetricType = (typeof METRIC_TYPES)[number];

/** prom-client states the type as a string at run time (its typings say an enum). */
function metricType(value: unknown, name: string): MetricType {
  const type = METRIC_TYPES.find((known) => known === String(value));
  if (type === undefined) throw new Error(`metric ${name} has an unknown type ${String(value)}`);
  return type;
}

/** The metric families one component exposes: name → type. */
export type MetricFamilies = ReadonlyMap<string, MetricType>;

/**
 * The series names a family puts in Prometheus: a classic histogram only its `_bucket`, `_sum`
 * and `_count` series (never its bare name), a summary its quantiles under the bare name plus
 * `_sum` and `_count`; counters are exposed under their full name (prom-client adds no `_total`).
 */
export function seriesNames(name: string, type: MetricType): string[] {
  switch (type) {
    case 'histogram':
      return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
    case 'summary':
      return [name, `${name}_sum`, `${name}_count`];
    default:
      return [name];
  }
}

/** Reads `# TYPE name type` lines of the Prometheus text format. */
export function familiesOfExposition(text: string): Map<string, MetricType> {
  const families = new Map<string, MetricType>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    families.set(name!, metricType(type, name!));
  }
  return families;
}

/**
 * A feed that never delivers: the verifier registers its metrics before it starts its feed, so
 * `started` resolving means they are all in the registry.
 */
function idleFeed(): { readonly factory: RevocationFeedFactory; readonly started: Promise<void> } {
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const stats: FeedStats = {
    ready: false,
    lastContactAt: undefined,
    lagByPartition: {},
    applied: 0,
    poisonByCode: {},
  };
  const feed: RevocationFeed = {
    start: () => markStarted(),
    ready: () => new Promise<void>(() => undefined),
    isReady: () => false,
    lastContactAt: () => undefined,
    stats: () => stats,
    close: () => Promise.resolve(),
  };
  return { factory: () => feed, started };
}

/** The game-service's families: its own metrics and its verifier's, on one registry. */
async function gameServiceFamilies(): Promise<Map<string, MetricType>> {
  const metrics = new GameMetrics('contract-test');
  const feed = idleFeed();
  const verifier = createVerifier({
    issuer: 'https://auth.example',
    audience: 'game',
    algorithms: ['ES256'],
    jwks: { keys: [] },
    revocations: feed.factory,
    // As the game-service registers it: its registry, the verifier's default prefix.
    metrics: { registry: metrics.registry },
  });
  try {
    await feed.started;
    const families = new Map<string, MetricType>();
    for (const metric of await metrics.registry.getMetricsAsJSON()) {
      families.set(metric.name, metricType(metric.type, metric.name));
    }
    return families;
  } finally {
    await verifier.close();
  }
}

/** Scrapes `/metrics` of a service's request listener on a loopback port. */
async function scrape(app: RequestListener): Promise<string> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    const body = await response.text();
    if (!response.ok) throw new Error(`GET /metrics answered ${response.status}: ${body}`);
    return body;
  } finally {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error === undefined ? resolve() : reject(error))),
    );
  }
}

/** A never-started issuing service: its migrations run so the outbox gauges can read the table. */
interface IdleIssuingService {
  readonly app: RequestListener;
  readonly issuer: { migrate(): Promise<void> };
  stop(): Promise<void>;
}

async function issuingServiceFamilies(
  create: (sqlitePath: string) => IdleIssuingService,
): Promise<Map<string, MetricType>> {
  const dir = mkdtempSync(join(tmpdir(), 'contract-metrics-'));
  try {
    const service = create(join(dir, 'service.sqlite'));
    try {
      await service.issuer.migrate();
      return familiesOfExposition(await scrape(service.app));
    } finally {
      await service.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Variables both issuing services need; the broker is never contacted. */
const UNUSED_KAFKA = { KAFKA_BROKERS: '127.0.0.1:9', LOG_LEVEL: 'silent', PORT: '0' };

/**
 * Every metric family the fabric's processes expose, by process: `game-service` (verifier
 * included), `user-service`, `revocation-gateway`.
 *
 * @example
 * ```ts
 * const families = await registeredMetricFamilies();
 * families.get('game-service')?.get('revocation_verifier_stale'); // 'gauge'
 * ```
 */
export async function registeredMetricFamilies(): Promise<ReadonlyMap<string, MetricFamilies>> {
  const userService = await issuingServiceFamilies((sqlitePath) =>
    createUserService(
      loadUserServiceConfig({
        ...UNUSED_KAFKA,
        NODE_ENV: 'test',
        SQLITE_PATH: sqlitePath,
        ISSUER: 'https://auth.example',
        AUDIENCE: 'game',
      }),
    ),
  );
  const gateway = await issuingServiceFamilies((sqlitePath) =>
    createGateway(
      loadGatewayConfig({
        ...UNUSED_KAFKA,
        SQLITE_PATH: sqlitePath,
        GATEWAY_PROVIDERS: JSON.stringify([
          {
            name: 'idp',
            issuer: 'https://idp.example',
            algorithms: ['RS256'],
            maxTokenLifetimeMs: 900_000,
            backchannelLogout: { clientId: 'game' },
          },
        ]),
      }),
    ),
  );
  return new Map([
    ['game-service', await gameServiceFamilies()],
    ['user-service', userService],
    ['revocation-gateway', gateway],
  ]);
}
