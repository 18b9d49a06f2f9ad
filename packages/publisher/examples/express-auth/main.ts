/**
 * Runs the example auth service:
 *
 *   pnpm build && KAFKA_BROKERS=127.0.0.1:9092 node packages/publisher/examples/dist/express-auth/main.js
 *
 * Environment: KAFKA_BROKERS (required), PORT (3100), SQLITE_PATH (./auth.sqlite),
 * REVOCATION_TOPIC (auth.revocations), ISSUER (http://localhost:PORT).
 */
import { once } from 'node:events';
import { OutboxRelay } from '@revocation-fabric/publisher';
import { kafkaPublisher } from '@revocation-fabric/publisher/kafka';
import { createAuthApp } from './app.js';
import { openAuthDatabase } from './schema.js';

const env = process.env;
const brokers = (env['KAFKA_BROKERS'] ?? '').split(',').filter((b) => b !== '');
if (brokers.length === 0) throw new Error('set KAFKA_BROKERS, e.g. 127.0.0.1:9092');
const port = Number(env['PORT'] ?? 3100);

const db = await openAuthDatabase(env['SQLITE_PATH'] ?? './auth.sqlite');
const relay = new OutboxRelay({
  db,
  dialect: 'sqlite',
  publisher: kafkaPublisher({
    brokers,
    topic: env['REVOCATION_TOPIC'] ?? 'auth.revocations',
    clientId: 'example-auth',
    createTopic: { maxTokenLifetimeMs: 15 * 60_000 },
  }),
});
await relay.prepare(3000);
relay.start();

const server = createAuthApp({
  db,
  relay,
  issuer: env['ISSUER'] ?? `http://localhost:${port}`,
}).listen(port);
await once(server, 'listening');
process.stdout.write(`example auth service on http://localhost:${port}\n`);

process.once('SIGTERM', () => {
  server.close();
  relay
    .stop()
    .then(() => db.destroy())
    .catch(() => process.exit(1));
});
