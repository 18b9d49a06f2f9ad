import { ConfigError } from './config-error.js';

/** What {@link runService} needs of a service: start it, and stop it gracefully. */
export interface RunnableService {
  /** Connects and listens; a rejection means the service could not start. */
  start(): Promise<unknown>;
  /** Stops accepting work, finishes what is in flight and releases connections. */
  stop(): Promise<void>;
}

/** The subset of pino's API {@link runService} logs with; a pino logger fits as is. */
export interface ServiceLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
  fatal(obj: Record<string, unknown>, msg: string): void;
}

/** The parts of the Node process {@link runService} touches; `process` itself fits. */
export interface ServiceProcess {
  on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  exit(code: number): void;
  exitCode?: number | string | undefined;
}

/** Options of {@link runService}. */
export interface RunServiceOptions {
  /** Names the service in its start-failure log line, e.g. `user-service`. */
  readonly name: string;
  /**
   * Reads the configuration and creates the service, not yet started, with the logger it was
   * configured with. A {@link ConfigError} thrown here is reported, not propagated.
   */
  readonly create: () => { readonly service: RunnableService; readonly logger: ServiceLogger };
  /**
   * Creates the logger a {@link ConfigError} is reported with: the configured logger cannot
   * be, since its own level comes from the configuration that failed.
   */
  readonly bootLogger: () => ServiceLogger;
  /** The process whose signals stop the service and whose exit code reports failure. Default `process`. */
  readonly process?: ServiceProcess;
}

/** `EX_CONFIG` from sysexits.h: supervisors can tell "fix the settings" from a crash. */
export const EXIT_CONFIG_ERROR = 78;

/**
 * Runs a service as the process's main program. A bad configuration is logged and sets exit
 * code {@link EXIT_CONFIG_ERROR}; a failed start is logged in one line (its message and, for a
 * coded error, its `code`), stops what did start, and sets exit code 1. The first SIGTERM or SIGINT stops the service gracefully and exits with 0, or with 1
 * if stopping failed; later signals are ignored, so a second Ctrl-C cannot cut the graceful stop
 * short.
 *
 * @example
 * ```ts
 * await runService({
 *   name: 'game-service',
 *   bootLogger: () => createLogger('info'),
 *   create: () => {
 *     const config = loadConfig(process.env);
 *     const logger = createLogger(config.logLevel);
 *     return { logger, service: createGameService(config, { logger }) };
 *   },
 * });
 * ```
 * @returns once the service has started, or failed to.
 */
export async function runService(options: RunServiceOptions): Promise<void> {
  const proc = options.process ?? process;
  let created: ReturnType<RunServiceOptions['create']>;
  try {
    created = options.create();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    options.bootLogger().fatal({ problems: error.problems }, error.message);
    proc.exitCode = EXIT_CONFIG_ERROR;
    return;
  }
  const { service, logger } = created;
  let stopping = false;
  const shutdown = (signal: 'SIGTERM' | 'SIGINT'): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    service.stop().then(
      () => proc.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        proc.exit(1);
      },
    );
  };
  proc.on('SIGTERM', () => shutdown('SIGTERM'));
  proc.on('SIGINT', () => shutdown('SIGINT'));
  try {
    await service.start();
  } catch (error) {
    // The reason goes into the line itself, with the error's stable code when it has one
    // (a too-short revocation topic: TOPIC_RETENTION_TOO_SHORT), so one log line says it all.
    const code = (error as { code?: unknown } | null)?.code;
    logger.fatal(
      { err: error, ...(typeof code === 'string' ? { code } : {}) },
      error instanceof Error
        ? `${options.name} failed to start: ${error.message}`
        : `${options.name} failed to start`,
    );
    await service.stop().catch(() => undefined);
    proc.exitCode = 1;
  }
}

/** What a service's main module gives {@link runServiceMain}. */
export interface ServiceMain<
  Config extends { readonly logLevel: string },
  Logger extends ServiceLogger,
> {
  /** Reads the configuration from the environment; throws {@link ConfigError} on bad settings. */
  readonly loadConfig: () => Config;
  /**
   * Creates the service's logger at `level`. `config` is absent for the logger a
   * {@link ConfigError} is reported with, since the configured level is what failed.
   */
  readonly logger: (level: string, config?: Config) => Logger;
  /** Creates the service, not yet started, with its configuration and logger. */
  readonly create: (config: Config, logger: Logger) => RunnableService;
}

/**
 * {@link runService} for the usual main module: read the configuration, create the logger at
 * its level, create the service, run it.
 *
 * @example
 * ```ts
 * await runServiceMain('user-service', {
 *   loadConfig: () => loadConfig(process.env),
 *   logger: createLogger,
 *   create: (config, logger) => createUserService(config, { logger }),
 * });
 * ```
 */
export function runServiceMain<
  Config extends { readonly logLevel: string },
  Logger extends ServiceLogger,
>(name: string, main: ServiceMain<Config, Logger>): Promise<void> {
  return runService({
    name,
    bootLogger: () => main.logger('info'),
    create: () => {
      const config = main.loadConfig();
      const logger = main.logger(config.logLevel, config);
      return { logger, service: main.create(config, logger) };
    },
  });
}
