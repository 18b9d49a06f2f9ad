import { clearState, instanceLayout, instanceNames, readState } from './lib/instance-files.js';
import { isInstanceLeader, stopGroup } from './lib/process.js';

/** Options of {@link stopKeycloak}. */
export interface StopKeycloakOptions {
  /** After SIGTERM, how long to wait before SIGKILL, in ms. Default: 30 000. */
  readonly timeoutMs?: number;
}

/** What {@link stopKeycloak} did. */
export interface StoppedKeycloak {
  readonly name: string;
  /** The process group that was signalled, or `undefined` when it was not running. */
  readonly pid: number | undefined;
  /** Whether SIGKILL was needed. */
  readonly killed: boolean;
}

/**
 * Stops the named local instance (its whole process group), wherever it was started from: a
 * test run, the CLI, the demo. A stale pid file (crashed, or pid reused) is only cleared.
 *
 * @example
 * ```ts
 * await stopKeycloak('local-18080');
 * ```
 */
export async function stopKeycloak(
  name: string,
  options: StopKeycloakOptions = {},
): Promise<StoppedKeycloak> {
  const layout = instanceLayout(name);
  const state = await readState(layout);
  if (state === undefined || !isInstanceLeader(state.pid, layout)) {
    await clearState(layout);
    return { name, pid: undefined, killed: false };
  }
  const { killed } = await stopGroup(state.pid, options.timeoutMs ?? 30_000);
  await clearState(layout);
  return { name, pid: state.pid, killed };
}

/**
 * Stops every local instance under `.keycloak/` (leftovers of crashed runs included).
 *
 * @example
 * ```ts
 * const stopped = await stopAllKeycloaks();
 * ```
 */
export async function stopAllKeycloaks(
  options: StopKeycloakOptions = {},
): Promise<StoppedKeycloak[]> {
  const stopped: StoppedKeycloak[] = [];
  for (const name of await instanceNames()) stopped.push(await stopKeycloak(name, options));
  return stopped;
}
