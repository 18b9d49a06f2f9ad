/**
 * One lifecycle for every service: `start()` runs once (concurrent callers share it, a caller
 * after it gets its result), `stop()` is idempotent and waits for a start in progress, and a
 * stopped service does not start again — its connections and database are closed; create a new
 * one. Tests run several instances in one process; `runService` runs one as a process.
 */
import type { Logger } from 'pino';

/** The two steps a service provides. */
export interface LifecycleSteps<T> {
  /** Connects, migrates, listens; resolves with what `start()` returns (the base URL). */
  readonly start: () => Promise<T>;
  /** Releases everything `start` took, also after a failed or partial start. */
  readonly stop: () => Promise<void>;
}

/** The lifecycle a service exposes. */
export interface Lifecycle<T> {
  start(): Promise<T>;
  stop(): Promise<void>;
  /** `created`, `starting`, `running`, `stopping` or `stopped`. */
  readonly state: LifecycleState;
}

/** Where a service is in its life. */
export type LifecycleState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Wraps a service's start and stop steps.
 *
 * @example
 * ```ts
 * const life = lifecycle('user-service', { start: async () => listen(server, address), stop: () => closeGracefully(server) });
 * const url = await life.start();
 * await life.stop();
 * ```
 */
export function lifecycle<T>(name: string, steps: LifecycleSteps<T>): Lifecycle<T> {
  let state: LifecycleState = 'created';
  let starting: Promise<T> | undefined;
  let stopping: Promise<void> | undefined;
  return {
    get state() {
      return state;
    },
    start() {
      if (stopping !== undefined)
        return Promise.reject(new Error(`a stopped ${name} cannot start again; create a new one`));
      if (starting === undefined) {
        state = 'starting';
        starting = steps.start().then((value) => {
          if (state === 'starting') state = 'running';
          return value;
        });
      }
      return starting;
    },
    stop() {
      if (stopping === undefined) {
        const started = starting;
        state = 'stopping';
        stopping = (async () => {
          // A start in progress finishes (or fails) first, so stop releases what it took.
          await started?.catch(() => undefined);
          await steps.stop();
          state = 'stopped';
        })();
      }
      return stopping;
    },
  };
}

/** What every service's create function takes beyond its configuration. */
export interface ServiceOptions {
  /** Default: the service's pino logger at the configured level. */
  readonly logger?: Logger | undefined;
  /**
   * The clock, ms since the epoch: everything the service reads time for reads it here (tokens,
   * signals, events, the relay). Default `() => Date.now()`. Tests move it to cross a lifetime
   * without waiting.
   */
  readonly now?: (() => number) | undefined;
}

/** A service as its composition root hands it out: startable once, stoppable, its URL. */
export interface StartableService {
  /** The base URL once listening, e.g. `http://127.0.0.1:41234`. */
  readonly url: string | undefined;
  /**
   * Connects what it needs (Kafka need not be up), migrates, listens.
   *
   * @returns the base URL.
   */
  start(): Promise<string>;
  /** Stops listening, finishes requests in flight, releases every connection. Idempotent. */
  stop(): Promise<void>;
}
