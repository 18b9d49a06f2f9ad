/**
 * The pieces the Keycloak end-to-end tests stand up around a realm: a revocation topic of
 * their own with a tap on it, a revocation gateway in this process for the realm's provider,
 * and a game-service that trusts the realm as its OIDC issuer.
 */
import { createGameService, loadConfig } from '@revocation-fabric/game-service';
import type { GameService } from '@revocation-fabric/game-service';
import { decodeEvent, revocationTopicSpec } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import {
  createGateway,
  loadConfig as loadGatewayConfig,
} from '@revocation-fabric/revocation-gateway';
import type { Gateway } from '@revocation-fabric/revocation-gateway';
import { createTopic, startTopicTap, uniqueTopic } from '@revocation-fabric/testkit';
import type { TestRealm, TopicTap } from '@revocation-fabric/testkit';

/** A topic of the test's own and its witness. */
export interface WatchedTopic {
  readonly topic: string;
  readonly tap: TopicTap<RevocationEvent>;
}

/** Creates a revocation topic named after `prefix` and starts a tap on it. */
export async function watchedTopic(
  brokers: readonly string[],
  prefix: string,
): Promise<WatchedTopic> {
  const topic = uniqueTopic(prefix);
  const spec = revocationTopicSpec({ topic, partitions: 3, maxTokenLifetimeMs: 15 * 60_000 });
  await createTopic([...brokers], {
    topic,
    partitions: spec.numPartitions,
    replicationFactor: 1,
    configEntries: spec.configEntries,
  });
  const tap = await startTopicTap([...brokers], topic, {
    clientId: `${prefix}-tap`,
    decode: (value) => decodeEvent(value),
    idOf: (event) => event.id,
  });
  return { topic, tap };
}

/** What {@link realmGateway} needs. */
export interface RealmGatewayOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  /** The gateway's SQLite file: a restarted gateway on the same file keeps its state. */
  readonly sqlitePath: string;
  /** The provider entry (name, issuer, channels) of `GATEWAY_PROVIDERS`. */
  readonly provider: Readonly<Record<string, unknown>>;
  /** The gateway's clock. Default `Date.now`. */
  readonly now?: () => number;
}

/** A gateway for one provider, created (not started) from the environment as in production. */
export function realmGateway(options: RealmGatewayOptions): Gateway {
  return createGateway(
    loadGatewayConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      SQLITE_PATH: options.sqlitePath,
      KAFKA_BROKERS: options.brokers.join(','),
      REVOCATION_TOPIC: options.topic,
      OUTBOX_POLL_INTERVAL_MS: '100',
      LOG_LEVEL: 'silent',
      GATEWAY_PROVIDERS: JSON.stringify([
        { algorithms: ['RS256'], maxTokenLifetimeMs: 15 * 60_000, ...options.provider },
      ]),
    }),
    options.now === undefined ? {} : { now: options.now },
  );
}

/**
 * A started, ready game-service that trusts the realm (roles from `realm_access.roles`) beside
 * a user-service that is not part of the test.
 */
export async function gameTrusting(
  realm: TestRealm,
  brokers: readonly string[],
  topic: string,
  instanceId: string,
): Promise<GameService> {
  const game = createGameService(
    loadConfig({
      INSTANCE_ID: instanceId,
      HOST: '127.0.0.1',
      PORT: '0',
      ISSUER: 'http://127.0.0.1:9',
      OIDC_ISSUER: realm.issuer,
      OIDC_AUDIENCE: realm.client.clientId,
      OIDC_JWKS_URL: realm.jwksUri,
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      KAFKA_BROKERS: brokers.join(','),
      // One test topic for both: the gateway writes it, and the realm's rules are authorized
      // from it (in production, the gateway's own topic, auth.revocations.gateway).
      REVOCATION_TOPIC: topic,
      OIDC_REVOCATION_TOPIC: topic,
      MOVE_INTERVAL_MS: '0',
      LOG_LEVEL: 'silent',
    }),
  );
  await game.start();
  await game.ready();
  return game;
}

/** The game-service's base URL. */
export function urlOf(game: GameService): string {
  if (game.url === undefined) throw new Error('game-service is not listening');
  return game.url;
}
