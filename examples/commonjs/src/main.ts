/**
 * A CommonJS express service that trusts the user-service's access tokens. It compiles to
 * `require()` calls; the packages are ES modules, which Node loads through `require(esm)` from
 * 22.12 on, so nothing here is asynchronous until the verifier starts.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 ISSUER=http://127.0.0.1:3000 node dist/main.js
 */
import { once } from 'node:events';
import express from 'express';
import { pino } from 'pino';
import { createVerifier } from '@revocation-fabric/verifier';
import { requireAnyRole, requireAuth } from '@revocation-fabric/verifier/express';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'example-commonjs' } });

  // Until the revocation topic is replayed, every token is refused with 503 NOT_READY.
  const verifier = createVerifier({
    issuer: config.issuer,
    audience: config.audience,
    algorithms: ['ES256'],
    jwks: { url: config.jwksUrl },
    revocations: kafkaRevocations({
      brokers: config.brokers,
      topic: config.topic,
      clientId: 'example-commonjs',
    }),
    logger,
  });

  const app = express();
  const authenticated = requireAuth(verifier, { realm: 'example' });
  app.get('/me', authenticated, (req, res) => {
    res.json({ sub: req.auth?.claims.sub, roles: req.auth?.claims.roles });
  });
  // 403 INSUFFICIENT_SCOPE for a valid token without the role.
  app.get('/admin/stats', authenticated, requireAnyRole('admin'), (_req, res) => {
    res.json(verifier.stats());
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    res.sendStatus(verifier.stats().serving ? 200 : 503);
  });

  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  logger.info({ host: config.host, port: config.port }, 'listening');

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections();
    await verifier.close();
  };
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

  verifier.ready().then(
    () => logger.info('revocation topic replayed: serving'),
    (error: unknown) => logger.error({ err: error }, 'the verifier closed before it was ready'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
