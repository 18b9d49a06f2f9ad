/**
 * A fastify service that trusts the user-service's access tokens, through the verifier's
 * fastify plugin: `app.requireAuth` on a route admits valid, unrevoked tokens and sets
 * `request.auth`; a logout at the user-service makes the same token 401 TOKEN_REVOKED here
 * within milliseconds, through Kafka.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 ISSUER=http://127.0.0.1:3000 node dist/main.js
 */
import Fastify from 'fastify';
import { createVerifier } from '@revocation-fabric/verifier';
import { requireAnyRole, verifierAuth } from '@revocation-fabric/verifier/fastify';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { loadConfig } from './config.js';

const config = loadConfig(process.env);
const app = Fastify({ logger: { level: config.logLevel, base: { service: 'example-fastify' } } });

// Until the revocation topic is replayed, every token is refused with 503 NOT_READY.
const verifier = createVerifier({
  issuer: config.issuer,
  audience: config.audience,
  algorithms: ['ES256'],
  jwks: { url: config.jwksUrl },
  revocations: kafkaRevocations({
    brokers: config.brokers,
    topic: config.topic,
    clientId: 'example-fastify',
  }),
  logger: app.log,
});
app.addHook('onClose', async () => {
  await verifier.close();
});

await app.register(verifierAuth, { verifier, realm: 'example' });

app.get('/me', { onRequest: app.requireAuth }, async (request) => ({
  sub: request.auth?.claims.sub,
  roles: request.auth?.claims.roles,
}));
// 403 INSUFFICIENT_SCOPE for a valid token without the role.
app.get(
  '/admin/stats',
  { onRequest: app.requireAuth, preHandler: requireAnyRole('admin') },
  async () => verifier.stats(),
);
app.get('/healthz', async () => ({ status: 'ok' }));
// serving = replayed and not stale: what a load balancer should route by.
app.get('/readyz', async (_request, reply) => {
  await reply.code(verifier.stats().serving ? 200 : 503).send();
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

await app.listen({ host: config.host, port: config.port });
verifier.ready().then(
  () => app.log.info('revocation topic replayed: serving'),
  (error: unknown) => app.log.error({ err: error }, 'the verifier closed before it was ready'),
);
