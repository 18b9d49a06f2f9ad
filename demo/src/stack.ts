/**
 * The demo's stack: Kafka, one user-service, two game-services, and with a Keycloak the
 * revocation gateway. Whatever already answers is reused; whatever is missing is started here,
 * and only what was started here is stopped.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getKafka } from '@revocation-fabric/testkit';
import type { KafkaBroker } from '@revocation-fabric/testkit';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { fixKafkajsIdleTimer } from '@revocation-fabric/kafkajs-idle-fix';
import { freePort } from './free-port.js';
import type { KeycloakPeer } from './keycloak-peer.js';
import { startGateway } from './start-gateway.js';
import { answersReady, startService } from './service-process.js';
import type { ServiceProcess } from './service-process.js';
import { resolveKafkaConnection } from '@revocation-fabric/kafka-connection';
import {
  kafkaSecurityFromEnvironment,
  kafkaSecurityEnvironment,
} from '@revocation-fabric/service-runtime';

/**
 * How the demo's admin clients reach the brokers, in kafkajs' option names: the environment's
 * credentials (`KAFKA_SASL_*`, `KAFKA_TLS*`, read as the services read them), checked and copied
 * as the services' own clients check theirs.
 */
function clientConnection(brokers: readonly string[]) {
  const connection = resolveKafkaConnection(
    { brokers, ...kafkaSecurityFromEnvironment(process.env) },
    { defaultClientId: 'revocation-fabric-demo', name: 'demo kafka' },
  );
  return {
    clientId: connection.clientId,
    brokers: connection.brokers,
    ...(connection.tls === undefined ? {} : { ssl: connection.tls }),
    ...(connection.sasl === undefined ? {} : { sasl: connection.sasl }),
  };
}

/** The repository root: demo/dist/stack.js → ../.. */
// kafkajs #1556: the 1 ms timer loop of idle connections (the demo's admin clients).
fixKafkajsIdleTimer(import.meta.url);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const USER_SERVICE_ENTRY = join(ROOT, 'services', 'user-service', 'dist', 'main.js');
const GAME_SERVICE_ENTRY = join(ROOT, 'services', 'game-service', 'dist', 'main.js');
const GATEWAY_ENTRY = join(ROOT, 'services', 'revocation-gateway', 'dist', 'main.js');

/** The admin the demo's user-service is bootstrapped with: a local, throw-away stack only. */
export const DEMO_ADMIN = { username: 'admin', password: 'demo-admin-password' } as const;

/**
 * - `demo`: fixed ports (3000, 4001, 4002), reusing services that already answer; short-lived
 *   access tokens so the expiry part of the scenario fits in seconds.
 * - `short`: everything on fresh ports with a topic of its own, for CI; nothing is reused.
 * - `keep`: like `demo` with the user-service's normal token lifetime, left running.
 */
export type StackMode = 'demo' | 'short' | 'keep';

/** Options of {@link startStack}. */
export interface StackOptions {
  readonly mode: StackMode;
  /** Progress lines. */
  readonly log: (line: string) => void;
  /**
   * A configured Keycloak: the game-services then trust its realm as a second issuer, and the
   * revocation gateway is started for it. Only with `short` (fresh ports): a game-service found
   * running would not trust a realm created now.
   */
  readonly keycloak?: KeycloakPeer;
}

/** One service of the stack, started here or found running. */
export interface StackService {
  readonly name: string;
  readonly url: string;
  readonly startedHere: boolean;
  /** Its log file, when started here. */
  readonly logFile: string | undefined;
}

/** A running stack. */
export interface Stack {
  readonly kafka: { readonly brokers: readonly string[]; readonly source: string };
  readonly topic: string;
  readonly userService: StackService;
  readonly games: readonly StackService[];
  /** The revocation gateway, when the stack has a Keycloak. */
  readonly gateway: StackService | undefined;
  /** Access-token lifetime the user-service was started with, when this stack chose it. */
  readonly accessTokenTtlSeconds: number | undefined;
  /** Where logs and the user-service's database live. */
  readonly workDir: string;
  /** Stops what was started here; removes the work directory unless `keepFiles`. */
  stop(options?: { readonly keepFiles?: boolean }): Promise<void>;
}

const FIXED_PORTS = { user: 3000, games: [4001, 4002] } as const;

/**
 * Services running elsewhere (a compose stack, another machine), named by `USER_SERVICE_URL`
 * and `GAME_SERVICE_URLS` (two, comma-separated): the `demo` and `keep` modes then use them
 * instead of the fixed ports and fail if one does not answer `/readyz`. Unset: the fixed ports.
 */
interface ServiceUrls {
  readonly user: string | undefined;
  readonly games: readonly [string, string] | undefined;
}

function httpOrigin(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${variable}: not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`${variable}: must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return url.origin;
}

function serviceUrlsFromEnvironment(env: NodeJS.ProcessEnv): ServiceUrls {
  const user = env['USER_SERVICE_URL'];
  const games = env['GAME_SERVICE_URLS'];
  let gameUrls: [string, string] | undefined;
  if (games !== undefined && games !== '') {
    const parts = games.split(',').map((part) => part.trim());
    if (parts.length !== 2) {
      throw new TypeError(`GAME_SERVICE_URLS: expected two comma-separated URLs, got ${games}`);
    }
    gameUrls = [
      httpOrigin('GAME_SERVICE_URLS', parts[0] ?? ''),
      httpOrigin('GAME_SERVICE_URLS', parts[1] ?? ''),
    ];
  }
  return {
    user: user === undefined || user === '' ? undefined : httpOrigin('USER_SERVICE_URL', user),
    games: gameUrls,
  };
}

/** A service named by the environment: it must already answer. */
async function externalService(name: string, url: string, variable: string) {
  if (!(await answersReady(url))) {
    throw new Error(`${name} at ${url} (${variable}) does not answer ${url}/readyz`);
  }
  return { name, url, startedHere: false, logFile: undefined } satisfies StackService;
}
/**
 * Access-token lifetime per mode: long enough for the logout and ban steps to finish before
 * the third player's first token expires on a busy machine, short enough to watch it expire.
 */
const TOKEN_TTL_SECONDS: Record<StackMode, number | undefined> = {
  demo: 10,
  short: 10,
  keep: undefined,
};

/** The environment a child starts from: enough to run node, nothing that configures it. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: 'development' };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'SystemRoot']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Runs `work` with an admin client of the demo's broker, disconnected afterwards. */
async function withAdmin<T>(
  brokers: readonly string[],
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = new Kafka({ ...clientConnection(brokers), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

function waitForTopic(brokers: readonly string[], topic: string, timeoutMs: number) {
  return withAdmin(brokers, async (admin) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await admin.listTopics()).includes(topic)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the user-service did not create the topic ${topic} within ${timeoutMs} ms`);
  });
}

function deleteTopic(brokers: readonly string[], topic: string): Promise<void> {
  return withAdmin(brokers, (admin) => admin.deleteTopics({ topics: [topic], timeout: 10_000 }));
}

/**
 * Starts (or finds) every part of the stack and resolves once each answers `/readyz`.
 *
 * @example
 * ```ts
 * const stack = await startStack({ mode: 'short', log: console.error });
 * try { ... } finally { await stack.stop(); }
 * ```
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { mode, log } = options;
  const workDir = await mkdtemp(join(tmpdir(), 'revocation-fabric-demo-'));
  const started: ServiceProcess[] = [];
  let kafka: KafkaBroker | undefined;
  const isolated = mode === 'short';
  const peer = options.keycloak;
  if (peer !== undefined && !isolated) {
    throw new TypeError('a stack with Keycloak is always isolated: use mode short');
  }
  const external = serviceUrlsFromEnvironment(process.env);
  if (isolated && (external.user !== undefined || external.games !== undefined)) {
    throw new TypeError('USER_SERVICE_URL / GAME_SERVICE_URLS do not go with --short (isolated)');
  }
  const topic = isolated
    ? `demo.revocations.${randomBytes(4).toString('hex')}`
    : 'auth.revocations';
  let topicCreated = false;

  const stop = async (stopOptions: { readonly keepFiles?: boolean } = {}): Promise<void> => {
    for (const service of started.splice(0).reverse()) await service.stop();
    if (kafka !== undefined) {
      if (isolated && topicCreated) {
        await deleteTopic(kafka.brokers, topic).catch((error: unknown) =>
          log(`could not delete topic ${topic}: ${(error as Error).message}`),
        );
      }
      await kafka.stop();
    }
    if (stopOptions.keepFiles !== true) await rm(workDir, { recursive: true, force: true });
  };

  try {
    log('looking for Kafka (KAFKA_BROKERS, else Docker, else the local broker from Maven jars)');
    kafka = await getKafka({ log: (line) => log(`kafka: ${line}`) });
    log(`Kafka ${kafka.kafkaVersion} at ${kafka.brokers.join(',')} (${kafka.source})`);

    const userPort = isolated ? await freePort() : FIXED_PORTS.user;
    const userUrl = external.user ?? `http://127.0.0.1:${userPort}`;
    const ttl = TOKEN_TTL_SECONDS[mode];
    let userService: StackService;
    if (external.user !== undefined) {
      userService = await externalService('user-service', userUrl, 'USER_SERVICE_URL');
      log(`user-service running at ${userUrl} (USER_SERVICE_URL)`);
    } else if (!isolated && (await answersReady(userUrl))) {
      log(`user-service already running at ${userUrl}`);
      userService = { name: 'user-service', url: userUrl, startedHere: false, logFile: undefined };
    } else {
      log(`starting user-service at ${userUrl}`);
      const child = await startService({
        name: 'user-service',
        entry: USER_SERVICE_ENTRY,
        url: userUrl,
        logFile: join(workDir, 'user-service.log'),
        env: {
          ...baseEnv(),
          HOST: '127.0.0.1',
          PORT: String(userPort),
          ISSUER: userUrl,
          SQLITE_PATH: join(workDir, 'user-service.sqlite'),
          KAFKA_BROKERS: kafka.brokers.join(','),
          ...kafkaSecurityEnvironment(process.env),
          REVOCATION_TOPIC: topic,
          REVOCATION_TOPIC_PARTITIONS: '3',
          BOOTSTRAP_ADMIN_USERNAME: DEMO_ADMIN.username,
          BOOTSTRAP_ADMIN_PASSWORD: DEMO_ADMIN.password,
          // The relay's poll only matters for other instances' events; ours wake it directly.
          OUTBOX_POLL_INTERVAL_MS: '200',
          LOG_LEVEL: 'info',
          ...(ttl === undefined ? {} : { ACCESS_TOKEN_TTL_SECONDS: String(ttl) }),
        },
      });
      started.push(child);
      topicCreated = true;
      userService = {
        name: 'user-service',
        url: userUrl,
        startedHere: true,
        logFile: child.logFile,
      };
    }
    await waitForTopic(kafka.brokers, topic, 60_000);

    const brokers = kafka.brokers.join(',');
    // allSettled: a game that fails must not leave its sibling starting unseen by stop().
    const outcomes = await Promise.allSettled(
      FIXED_PORTS.games.map(async (fixedPort, i): Promise<StackService> => {
        const name = `game-${i + 1}`;
        const externalUrl = external.games?.[i];
        if (externalUrl !== undefined) {
          const service = await externalService(name, externalUrl, 'GAME_SERVICE_URLS');
          log(`${name} running at ${externalUrl} (GAME_SERVICE_URLS)`);
          return service;
        }
        const port = isolated ? await freePort() : fixedPort;
        const url = `http://127.0.0.1:${port}`;
        if (!isolated && (await answersReady(url))) {
          log(`${name} already running at ${url}`);
          return { name, url, startedHere: false, logFile: undefined };
        }
        log(`starting ${name} at ${url}`);
        const child = await startService({
          name,
          entry: GAME_SERVICE_ENTRY,
          url,
          logFile: join(workDir, `${name}.log`),
          env: {
            ...baseEnv(),
            HOST: '127.0.0.1',
            PORT: String(port),
            INSTANCE_ID: name,
            ISSUER: userUrl,
            JWKS_URL: `${userUrl}/.well-known/jwks.json`,
            KAFKA_BROKERS: brokers,
            ...kafkaSecurityEnvironment(process.env),
            REVOCATION_TOPIC: topic,
            LOG_LEVEL: 'info',
            ...(peer?.gameEnv ?? {}),
            // The demo's gateway writes the demo's one topic; the provider's rules are
            // authorized from it (a deployment gives the gateway auth.revocations.gateway).
            ...(peer === undefined ? {} : { OIDC_REVOCATION_TOPIC: topic }),
          },
        });
        started.push(child);
        return { name, url, startedHere: true, logFile: child.logFile };
      }),
    );
    const games: StackService[] = [];
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') throw outcome.reason;
      games.push(outcome.value);
    }

    let gateway: StackService | undefined;
    if (peer !== undefined) {
      const child = await startGateway({
        entry: GATEWAY_ENTRY,
        peer,
        env: {
          ...baseEnv(),
          KAFKA_BROKERS: brokers,
          ...kafkaSecurityEnvironment(process.env),
          REVOCATION_TOPIC: topic,
          LOG_LEVEL: 'info',
        },
        workDir,
        log,
      });
      started.push(child);
      gateway = { name: child.name, url: child.url, startedHere: true, logFile: child.logFile };
    }

    return {
      kafka: { brokers: kafka.brokers, source: kafka.source },
      topic,
      userService,
      games,
      gateway,
      accessTokenTtlSeconds: userService.startedHere ? ttl : undefined,
      workDir,
      stop,
    };
  } catch (error) {
    await stop({ keepFiles: true }).catch(() => undefined);
    throw error;
  }
}
