/**
 * Process entry: read the environment, start, and shut down gracefully on SIGTERM/SIGINT
 * (stop accepting requests, finish in-flight ones, stop the relay, close the database).
 */
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';
import { createUserService } from './service.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      // The logger's level comes from the very configuration that failed.
      createLogger('info').fatal({ problems: error.problems }, error.message);
      process.exitCode = 78; // EX_CONFIG
      return;
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const service = createUserService(config, { logger });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    await service.start();
  } catch (error) {
    logger.fatal({ err: error }, 'user-service failed to start');
    await service.stop().catch(() => undefined);
    process.exitCode = 1;
  }
}

await main();
