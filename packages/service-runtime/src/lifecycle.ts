/**
 * One lifecycle for every service: `start()` runs once (concurrent callers share it, a caller
 * after it gets its result), `stop()` is idempotent and waits for a start in progress, and a
 * stopped service does not start again — its connections and database are closed; create a new
 * one. Tests run several instances in one process; `runService` runs one as a process.
 */

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
