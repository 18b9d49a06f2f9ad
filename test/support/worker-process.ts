/**
 * Child processes of a test, forked with an IPC channel and typed messages both ways: for tests
 * whose subject is several processes (a fleet of verifiers), not one event loop. The child runs a
 * TypeScript file of the repository from source (see source-hooks.ts); bench/src/lib/child.ts is
 * the benchmarks' counterpart, which forks their compiled workers.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** Every message between a test and its workers is an object with a `type`. */
export interface WorkerMessage {
  readonly type: string;
}

const OUTPUT_TAIL_CHARS = 4_000;

// Flags of every fork: the workspace's sources, as vitest resolves them, with their types
// transformed away (parameter properties need more than stripping).
const SOURCE_FLAGS = [
  '--conditions=@revocation-fabric/source',
  '--experimental-transform-types',
  '--disable-warning=ExperimentalWarning',
  '--import',
  new URL('./source-hooks.ts', import.meta.url).href,
];

interface Waiter<Out> {
  readonly type: string;
  readonly resolve: (message: Out) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A forked TypeScript worker. `next` awaits its messages by type; `close` disconnects the IPC
 * channel, which the worker takes as its cue to release what it holds and exit.
 *
 * @example
 * ```ts
 * const worker = WorkerProcess.fork<Command, Report>(new URL('./worker.ts', import.meta.url), 'w0');
 * worker.send({ type: 'start', ... });
 * const ready = await worker.next('ready', 30_000);
 * expect(await worker.close()).toBe(0);
 * ```
 */
export class WorkerProcess<In extends WorkerMessage, Out extends WorkerMessage> {
  readonly name: string;
  readonly #child: ChildProcess;
  readonly #queue: Out[] = [];
  readonly #waiters: Waiter<Out>[] = [];
  readonly #exit: Promise<number | null>;
  #output = '';
  #exitError: Error | undefined;

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.#child = child;
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        this.#output = (this.#output + chunk).slice(-OUTPUT_TAIL_CHARS);
      });
    }
    child.on('message', (message) => this.#deliver(message as Out));
    this.#exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitError = new Error(
          `worker ${name} exited (code ${String(code)}, signal ${String(signal)}); output tail:\n${this.#output}`,
        );
        for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#exitError);
        resolve(code);
      });
    });
  }

  /** Forks `script` (a `.ts` file's URL) from source, named `name` in errors. */
  static fork<In extends WorkerMessage, Out extends WorkerMessage>(
    script: URL,
    name: string,
  ): WorkerProcess<In, Out> {
    const child = fork(script, [], {
      execArgv: SOURCE_FLAGS,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    return new WorkerProcess<In, Out>(name, child);
  }

  send(message: In): void {
    this.#child.send(message);
  }

  /** Freezes the process (SIGSTOP): its sockets stay open, it answers and applies nothing. */
  pause(): void {
    this.#child.kill('SIGSTOP');
  }

  /** Lets a paused process run again (SIGCONT). */
  resume(): void {
    this.#child.kill('SIGCONT');
  }

  /**
   * The next message of `type`, already received or still to come.
   *
   * @throws Error naming the worker and the type, with the worker's output, when none arrives
   *   within `timeoutMs` or the worker exits first.
   */
  next<T extends Out['type']>(type: T, timeoutMs: number): Promise<Extract<Out, { type: T }>> {
    const index = this.#queue.findIndex((message) => message.type === type);
    if (index >= 0) {
      return Promise.resolve(this.#queue.splice(index, 1)[0] as Extract<Out, { type: T }>);
    }
    if (this.#exitError !== undefined) return Promise.reject(this.#exitError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(
          new Error(
            `worker ${this.name}: no "${type}" message within ${timeoutMs} ms; output tail:\n${this.#output}`,
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
   * Disconnects the worker and resolves with its exit code once it has exited; SIGKILLs it if
   * it has not within `graceMs` (the code is then `null`). Safe to call again.
   */
  async close(graceMs = 15_000): Promise<number | null> {
    if (this.#child.connected) this.#child.disconnect();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    try {
      return await this.#exit;
    } finally {
      clearTimeout(timer);
    }
  }

  #deliver(message: Out): void {
    const index = this.#waiters.findIndex((waiter) => waiter.type === message.type);
    if (index < 0) {
      this.#queue.push(message);
      return;
    }
    this.#waiters.splice(index, 1)[0]?.resolve(message);
  }
}
