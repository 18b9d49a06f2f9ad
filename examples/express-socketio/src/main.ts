/**
 * An express + socket.io service that trusts the user-service's access tokens: every HTTP
 * request and every socket is judged locally by `@revocation-fabric/verifier`, and a logout,
 * ban or password change at the user-service cuts both within milliseconds, through Kafka.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 ISSUER=http://127.0.0.1:3000 node dist/main.js
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { Server } from 'socket.io';
import { createVerifier } from '@revocation-fabric/verifier';
import { requireAuth } from '@revocation-fabric/verifier/express';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { socketAuth, socketToken } from '@revocation-fabric/verifier/socket.io';
import { loadConfig } from './config.js';

/** What clients may send on a socket. */
interface ClientToServerEvents {
  whoami: (ack: (answer: { sub: string }) => void) => void;
}

const config = loadConfig(process.env);
const logger = pino({ level: config.logLevel, base: { service: 'example-express-socketio' } });

// One verifier per process. Until it has replayed the revocation topic, every token is refused
// with 503 NOT_READY: a restarted instance never accepts a token revoked while it was down.
const verifier = createVerifier({
  issuer: config.issuer,
  audience: config.audience,
  algorithms: ['ES256'],
  jwks: { url: config.jwksUrl },
  revocations: kafkaRevocations({
    brokers: config.brokers,
    topic: config.topic,
    clientId: 'example-express-socketio',
  }),
  logger,
});
verifier.onRevoked((rule) => logger.info({ kind: rule.kind, reason: rule.reason }, 'revoked'));

const app = express();
app.get('/me', requireAuth(verifier, { realm: 'example' }), (req, res) => {
  res.json({ sub: req.auth?.claims.sub, roles: req.auth?.claims.roles });
});
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
// serving = replayed and not stale: what a load balancer should route by.
app.get('/readyz', (_req, res) => {
  res.sendStatus(verifier.stats().serving ? 200 : 503);
});

const server = createServer(app);
const io = new Server<ClientToServerEvents>(server);
const auth = socketAuth(verifier, { logger });
io.use(auth); // handshake: auth.token or Authorization: Bearer
io.on('connection', (socket) => {
  // Read the token where it is needed: in-band refreshes replace it.
  const { sub } = socketToken(socket).claims;
  void socket.join(`user:${sub}`);
  socket.on('whoami', (ack) => {
    ack({ sub: socketToken(socket).claims.sub });
  });
});

server.listen(config.port, config.host);
await once(server, 'listening');
const address = server.address();
const port = typeof address === 'object' && address !== null ? address.port : config.port;
logger.info({ url: `http://${config.host}:${port}` }, 'listening');
verifier.ready().then(
  () => logger.info('revocation topic replayed: serving'),
  (error: unknown) => logger.error({ err: error }, 'the verifier closed before it was ready'),
);

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  auth.close();
  await io.close(); // disconnects every socket and closes the HTTP server
  await verifier.close();
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
