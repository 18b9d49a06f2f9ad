/**
 * Process entry: read the environment, start, and shut down gracefully on SIGTERM/SIGINT.
 */
import { runService } from '@revocation-fabric/service-runtime';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createGameService } from './service.js';

await runService({
  name: 'game-service',
  bootLogger: () => createLogger('info', 'game-service'),
  create: () => {
    const config = loadConfig(process.env);
    const logger = createLogger(config.logLevel, config.instanceId);
    return { logger, service: createGameService(config, { logger }) };
  },
});
