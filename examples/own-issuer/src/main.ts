/**
 * A team's own token issuer that joins the fabric: it signs its access tokens with its own key,
 * keeps its sessions in its own PostgreSQL database, and publishes every logout to the
 * revocation topic through `@revocation-fabric/publisher` (outbox + relay). Any verifier that
 * trusts this issuer then refuses the session's tokens within milliseconds; `/me` is such a
 * verifier, in the same process to keep the example one app.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/own_issuer KAFKA_BROKERS=127.0.0.1:9092 \
 *     node dist/main.js
 */
import { once } from 'node:events';
import { pino } from 'pino';
import { OutboxRelay } from '@revocation-fabric/publisher';
import { kafkaPublisher } from '@revocation-fabric/publisher/kafka';
import { createVerifier } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './database.js';
import { loadSigningKey } from './signing-key.js';

const config = loadConfig(process.env);
const logger = pino({ level: config.logLevel, base: { service: 'example-own-issuer' } });
const now = (): number => Date.now();
const maxTokenLifetimeMs = config.accessTokenTtlSeconds * 1000;

const db = await openDatabase(config.databaseUrl);
const key = await loadSigningKey(db);

const relay = new OutboxRelay({
  db,
  dialect: 'postgres', // several instances: one relays at a time (advisory lock)
  publisher: kafkaPublisher({
    brokers: config.brokers,
    topic: config.topic,
    clientId: 'example-own-issuer',
    // Created if missing, with a retention that outlives every token a rule must catch.
    createTopic: { maxTokenLifetimeMs },
  }),
  logger,
  now,
});
await relay.prepare(3000); // false (and a warning) if Kafka is away: the relay keeps trying
relay.start();

// A verifier trusting this issuer, as the team's other services would run it.
const verifier = createVerifier({
  issuer: config.issuer,
  audience: config.audience,
  algorithms: ['ES256'],
  jwks: { url: process.env['JWKS_URL'] ?? `${config.issuer}/.well-known/jwks.json` },
  maxTokenLifetimeMs,
  // Our tokens carry no generation counters: subject cutoffs would judge them by `iat`.
  claims: { subjectGeneration: null, globalGeneration: null },
  revocations: kafkaRevocations({
    brokers: config.brokers,
    topic: config.topic,
    clientId: 'example-own-issuer-verifier',
  }),
  now,
  logger,
});

const app = createApp({
  db,
  key,
  relay,
  verifier,
  issuer: config.issuer,
  tokens: {
    issuer: config.issuer,
    audience: config.audience,
    ttlSeconds: config.accessTokenTtlSeconds,
  },
  now,
  logger,
});
const server = app.listen(config.port, config.host);
await once(server, 'listening');
logger.info({ issuer: config.issuer, kid: key.kid }, 'listening');
verifier.ready().then(
  () => logger.info('revocation topic replayed: serving'),
  (error: unknown) => logger.error({ err: error }, 'the verifier closed before it was ready'),
);

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  server.close();
  server.closeAllConnections();
  await verifier.close();
  await relay.stop(); // unsent events stay in the outbox for the next start
  await db.destroy();
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
