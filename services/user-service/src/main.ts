/**
 * Process entry: read the environment, start, and shut down gracefully on SIGTERM/SIGINT
 * (stop accepting requests, finish in-flight ones, stop the relay, close the database).
 */
import { runService } from '@revocation-fabric/service-runtime';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createUserService } from './service.js';

await runService({
  name: 'user-service',
  bootLogger: () => createLogger('info'),
  create: () => {
    const config = loadConfig(process.env);
    const logger = createLogger(config.logLevel);
    return { logger, service: createUserService(config, { logger }) };
  },
});
