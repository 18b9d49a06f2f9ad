/**
 * The worker's end of the IPC channel. A worker whose parent goes away exits at once, so an
 * interrupted run never leaves verifiers or servers behind.
 */
import type { Message } from './child.js';

/** Sends a message to the parent process. */
export function reply<Out extends Message>(message: Out): void {
  if (process.send === undefined) throw new Error('this script must be started by bench/run');
  process.send(message);
}

/** Calls `handler` for every message from the parent; exits when the parent disconnects. */
export function listen<In extends Message>(handler: (message: In) => void | Promise<void>): void {
  process.on('message', (raw) => {
    Promise.resolve(handler(raw as In)).catch(fail);
  });
  process.on('disconnect', () => process.exit(0));
}

/** Reports a fatal error on stderr (the parent shows its tail) and exits non-zero. */
export function fail(error: unknown): never {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
