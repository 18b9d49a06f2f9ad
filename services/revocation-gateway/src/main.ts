/** Process entry: read the environment, start, shut down gracefully on SIGTERM/SIGINT. */
import { runServiceMain } from '@revocation-fabric/service-runtime';
import { loadConfig } from './config/load-config.js';
import { createGateway } from './gateway.js';
import { createLogger } from './logger.js';

await runServiceMain('revocation-gateway', {
  loadConfig: () => loadConfig(process.env),
  create: (config, logger) => createGateway(config, { logger }),
  logger: createLogger,
});
