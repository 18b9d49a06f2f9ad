/**
 * Process entry: read the environment, start, and shut down gracefully on SIGTERM/SIGINT
 * (stop accepting requests, finish in-flight ones, stop the relay, close the database).
 */
import { runServiceMain } from '@revocation-fabric/service-runtime';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createUserService } from './service.js';

await runServiceMain('user-service', {
  loadConfig: () => loadConfig(process.env),
  create: (config, logger) => createUserService(config, { logger }),
  logger: createLogger,
});
