/**
 * Process entry: read the environment, start, and shut down gracefully on SIGTERM/SIGINT.
 */
import { runServiceMain } from '@revocation-fabric/service-runtime';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createGameService } from './service.js';

await runServiceMain('game-service', {
  loadConfig: () => loadConfig(process.env),
  logger: (level, config) => createLogger(level, config?.instanceId ?? 'game-service'),
  create: (config, logger) => createGameService(config, { logger }),
});
