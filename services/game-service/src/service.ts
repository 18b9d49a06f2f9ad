/**
 * One game-service instance: its own verifier (its own Kafka consumer, reading every
 * partition), the HTTP API and the socket.io game on one HTTP server. Tests run several in one
 * process; `main.ts` runs one as a process.
 */
import { createServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { closeGracefully, httpServiceSteps, lifecycle } from '@revocation-fabric/service-runtime';
import { createVerifier } from '@revocation-fabric/verifier';
import type { TrustedIssuer } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import type { Verifier } from '@revocation-fabric/verifier';
import { socketAuth } from '@revocation-fabric/verifier/socket.io';
import type { SocketAuth } from '@revocation-fabric/verifier/socket.io';
import type { GameServiceConfig } from './config.js';
import { GameRooms } from './game/game-rooms.js';
import { Leaderboard } from './game/leaderboard.js';
import { createApp } from './http/app.js';
import { createLogger } from './logger.js';
import { GameMetrics } from './metrics.js';
import { serveGame } from './realtime/game-socket.js';
import type { GameNamespace } from './realtime/game-socket.js';
import type { ClientToServerEvents, ServerToClientEvents } from './realtime/messages.js';

/** The namespace the game is served on. */
export const GAME_NAMESPACE = '/game';

/** Options of {@link createGameService} beyond the configuration. */
export interface GameServiceOptions {
  /** Logger; default a pino logger at the configured level. */
  readonly logger?: Logger;
  /**
   * The clock, ms since the epoch, of token checks over HTTP and sockets alike (expiry, login
   * age, a live socket's expiry). Default `() => Date.now()`.
   */
  readonly now?: () => number;
}

/** A running (or startable) game-service instance. */
export interface GameService {
  readonly config: GameServiceConfig;
  /** The instance's metrics registry (the verifier's metrics included once started). */
  readonly metrics: GameMetrics;
  /** Base URL once listening, e.g. `http://127.0.0.1:41234`. */
  readonly url: string | undefined;
  /** The instance's verifier, once started. */
  readonly verifier: Verifier | undefined;
  /**
   * Creates the verifier (which starts replaying the revocation topic) and listens at once:
   * `/readyz` answers 503, and every token NOT_READY, until the replay is complete.
   *
   * @returns the base URL.
   */
  start(): Promise<string>;
  /** Resolves once the verifier has replayed the revocation topic. */
  ready(): Promise<void>;
  /** Closes sockets, stops listening, closes the verifier. Idempotent; a stopped instance does not start again. */
  stop(): Promise<void>;
}

interface Running {
  readonly verifier: Verifier;
  readonly auth: SocketAuth;
  readonly io: Server<
    ClientToServerEvents,
    ServerToClientEvents,
    Record<string, never>,
    Record<string, never>
  >;
}

/**
 * Creates a game-service instance. Nothing connects or listens until `start()`.
 *
 * @example
 * ```ts
 * const service = createGameService(loadConfig(process.env));
 * const url = await service.start();
 * await service.ready();
 * process.on('SIGTERM', () => void service.stop());
 * ```
 */
export function createGameService(
  config: GameServiceConfig,
  options: GameServiceOptions = {},
): GameService {
  const logger = options.logger ?? createLogger(config.logLevel, config.instanceId);
  const metrics = new GameMetrics(config.instanceId);
  const leaderboard = new Leaderboard();
  const rooms = new GameRooms(config.game, leaderboard);
  const now = options.now ?? (() => Date.now());
  // The server exists from the start; its request handler and socket server arrive with the
  // verifier they need, in prepare().
  const http = createServer();
  let running: Running | undefined;
  let url: string | undefined;

  function prepare(): Promise<void> {
    const verifier = createVerifier({
      issuers: trustedIssuers(config),
      revocations: kafkaRevocations({
        brokers: config.kafka.brokers,
        // The user-service's topic, and the gateway's when a provider is trusted.
        topics: [
          ...new Set([config.kafka.topic, config.auth.oidc?.revocationTopic ?? config.kafka.topic]),
        ],
        clientId: `${config.kafka.clientId}-${config.instanceId}`,
        sasl: config.kafka.sasl,
        tls: config.kafka.tls,
        ...(config.kafka.snapshotDirectory === undefined
          ? {}
          : { snapshot: { directory: config.kafka.snapshotDirectory } }),
      }),
      clockToleranceMs: config.auth.clockToleranceMs,
      onStale: config.auth.onStale,
      maxStalenessMs: config.auth.maxStalenessMs,
      logger: logger.child({ component: 'verifier' }),
      metrics: { registry: metrics.registry },
      now,
    });
    const auth = socketAuth(verifier, { logger: logger.child({ component: 'socket-auth' }), now });
    metrics.observeSockets(() => auth.stats());
    http.on('request', createApp({ config, verifier, rooms, leaderboard, metrics, logger }));
    const io = new Server<
      ClientToServerEvents,
      ServerToClientEvents,
      Record<string, never>,
      Record<string, never>
    >(http, {
      ...(config.http.corsOrigins.length > 0
        ? { cors: { origin: [...config.http.corsOrigins] } }
        : {}),
      // Tokens travel in the handshake; nothing but a token needs this much.
      maxHttpBufferSize: 16_384,
    });
    // The root namespace carries nothing, but a socket must not sit there unauthenticated.
    io.use(auth);
    const game: GameNamespace = io.of(GAME_NAMESPACE);
    game.use(auth);
    serveGame(game, { rooms, metrics, logger });
    running = { verifier, auth, io };
    verifier.ready().then(
      () => logger.info({ url }, 'verifier ready: serving'),
      (error: unknown) => logger.warn({ err: error }, 'verifier did not become ready'),
    );
    // Listens at once: /readyz answers 503, and every token NOT_READY, until the replay is done.
    return Promise.resolve();
  }

  const steps = httpServiceSteps(
    {
      server: http,
      address: config.http,
      prepare,
      listening: (listeningAt) =>
        logger.info({ url: listeningAt, instance: config.instanceId }, 'game-service listening'),
      close: async () => {
        if (running === undefined) return closeGracefully(http);
        const { auth, io } = running;
        auth.close();
        // socket.io's close disconnects every socket, then closes the HTTP server.
        await closeGracefully(http, { close: () => io.close() });
      },
      async release() {
        await running?.verifier.close();
        logger.info('game-service stopped');
      },
    },
    (current) => (url = current),
  );
  const life = lifecycle('game-service', steps);

  return {
    config,
    metrics,
    get url() {
      return url;
    },
    get verifier() {
      return running?.verifier;
    },
    start: () => life.start(),
    async ready() {
      if (running === undefined) throw new Error('game-service is not started');
      await running.verifier.ready();
    },
    stop: () => life.stop(),
  };
}

/**
 * The issuers whose tokens the game accepts: the user-service always, and the team's OIDC
 * provider when one is configured. One login from either works over HTTP and sockets alike;
 * each issuer's revocations reach only its own tokens.
 */
function trustedIssuers(config: GameServiceConfig): [TrustedIssuer, ...TrustedIssuer[]] {
  const { auth } = config;
  const ours: TrustedIssuer = {
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: ['ES256'],
    jwks: { url: auth.jwksUrl },
    maxTokenLifetimeMs: auth.maxTokenLifetimeSeconds * 1000,
    // The user-service's rules come from its topic only; its brakes are signed with its keys.
    authority: { sources: [config.kafka.topic], brakeKeys: 'issuer' },
  };
  if (auth.oidc === undefined) return [ours];
  const { oidc } = auth;
  return [
    ours,
    {
      issuer: oidc.issuer,
      audience: oidc.audience,
      algorithms: oidc.algorithms,
      jwks: { url: oidc.jwksUrl },
      maxTokenLifetimeMs: oidc.maxTokenLifetimeSeconds * 1000,
      // Providers stamp no generation counters: their tokens are judged by `iat`.
      claims: {
        sid: oidc.sidClaim,
        roles: oidc.rolesClaim,
        subjectGeneration: null,
        globalGeneration: null,
      },
      // The gateway speaks for the provider from its own topic, and maps no signal to a brake.
      authority: {
        sources: [{ source: oidc.revocationTopic, kinds: ['token', 'session', 'subject'] }],
        brakeKeys: false,
      },
    },
  ];
}
