/**
 * Process entry: read the environment, start, shut down gracefully on SIGTERM/SIGINT.
 */
import { runService } from '@revocation-fabric/service-runtime';
import { loadConfig } from './config/load-config.js';
import { createGateway } from './gateway.js';
import { createLogger } from './logger.js';

await runService({
  name: 'revocation-gateway',
  bootLogger: () => createLogger('info'),
  create: () => {
    const config = loadConfig(process.env);
    const logger = createLogger(config.logLevel);
    return { logger, service: createGateway(config, { logger }) };
  },
});
