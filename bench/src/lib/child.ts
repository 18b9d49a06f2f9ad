/**
 * Worker processes of a benchmark: `bench/dist/<benchmark>/…worker.js`, forked with an IPC channel.
 * Measured parts run in their own processes so that a verifier, a server or a load generator
 * never shares an event loop (or a heap) with what measures it.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Every message between processes is an object with a `type`. */
export interface Message {
  readonly type: string;
}

/** Options of {@link WorkerProcess.start}. */
export interface WorkerStartOptions {
  /** Extra V8/Node flags, e.g. `--expose-gc`. */
  readonly execArgv?: readonly string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

type Waiter<Out> = {
  readonly type: string;
  readonly resolve: (message: Out) => void;
  readonly reject: (error: Error) => void;
};

const STDERR_TAIL_CHARS = 4_000;

/** A forked worker with typed messages both ways. */
export class WorkerProcess<In extends Message, Out extends Message> {
  readonly name: string;
  readonly #child: ChildProcess;
  readonly #queue: Out[] = [];
  readonly #waiters: Waiter<Out>[] = [];
  readonly #listeners = new Map<string, (message: Out) => void>();
  readonly #exited: Promise<number | null>;
  #stderr = '';
  #exitError: Error | undefined;

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.#child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('message', (raw) => this.#deliver(raw as Out));
    this.#exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.#exitError = new Error(
          `worker ${name} exited (code ${String(code)}, signal ${String(signal)}); stderr tail:\n${this.#stderr}`,
        );
        for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#exitError);
        resolve(code);
      });
    });
  }

  /** Forks `<script>.js` (e.g. `check-cost/worker`) from this package's `dist/`. */
  static start<In extends Message, Out extends Message>(
    script: string,
    name: string,
    options: WorkerStartOptions = {},
  ): WorkerProcess<In, Out> {
    const path = fileURLToPath(new URL(`../${script}.js`, import.meta.url));
    const child = fork(path, [], {
      execArgv: [...(options.execArgv ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Structured clone: large sample arrays (Float64Array) cross without JSON.
      serialization: 'advanced',
    });
    return new WorkerProcess<In, Out>(name, child);
  }

  /** The child's pid. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  send(message: In): void {
    this.#child.send(message);
  }

  /** Every message of `type` goes to `listener` instead of the queue `next` reads. */
  on<T extends Out['type']>(type: T, listener: (message: Extract<Out, { type: T }>) => void): void {
    this.#listeners.set(type, listener as (message: Out) => void);
  }

  /** The next message of `type` (already received or still to come). */
  next<T extends Out['type']>(type: T, timeoutMs: number): Promise<Extract<Out, { type: T }>> {
    const index = this.#queue.findIndex((message) => message.type === type);
    if (index >= 0) {
      const [message] = this.#queue.splice(index, 1);
      return Promise.resolve(message as Extract<Out, { type: T }>);
    }
    if (this.#exitError !== undefined) return Promise.reject(this.#exitError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(
          new Error(
            `worker ${this.name}: no "${type}" message within ${timeoutMs} ms; stderr tail:\n${this.#stderr}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter<Out> = {
        type,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message as Extract<Out, { type: T }>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /**
   * Asks the worker to stop (`{ type: 'stop' }`), then SIGKILLs it if it has not exited within
   * `graceMs`. Safe to call on a worker that already exited.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#exitError !== undefined) return;
    try {
      this.#child.send({ type: 'stop' });
    } catch {
      // The channel is already closed: the kill below still applies.
    }
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #deliver(message: Out): void {
    const listener = this.#listeners.get(message.type);
    if (listener !== undefined) {
      listener(message);
      return;
    }
    const index = this.#waiters.findIndex((waiter) => waiter.type === message.type);
    if (index >= 0) {
      const [waiter] = this.#waiters.splice(index, 1);
      waiter?.resolve(message);
      return;
    }
    this.#queue.push(message);
  }
}

/** Stops every worker, in parallel, ignoring failures (used in `finally` blocks). */
export async function stopAll(
  workers: ReadonlyArray<{ stop(graceMs?: number): Promise<void> }>,
  graceMs?: number,
): Promise<void> {
  await Promise.allSettled(workers.map((worker) => worker.stop(graceMs)));
}
