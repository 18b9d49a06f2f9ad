import { setTimeout as sleep } from 'node:timers/promises';
import { KeycloakExitedError, StartTimeoutError } from '../errors.js';
import type { InstanceLayout } from './instance-files.js';
import { keycloakRequest } from './keycloak-http.js';
import { isInstanceLeader, logTail } from './process.js';

const POLL_INTERVAL_MS = 500;

/**
 * Polls the management interface's `/health/ready` until Keycloak reports UP (its checks
 * include "Keycloak Initialized": the master realm and the bootstrap admin exist by then).
 *
 * @throws {KeycloakExitedError} kc.sh ended (bad option, port taken after our check, ...).
 * @throws {StartTimeoutError} not ready within `timeoutMs`.
 */
export async function waitUntilReady(
  layout: InstanceLayout,
  pid: number,
  managementPort: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const base = `http://127.0.0.1:${managementPort}`;
  let lastState = 'not probed yet';
  for (;;) {
    if (!isInstanceLeader(pid, layout)) {
      throw new KeycloakExitedError(layout.name, layout.logFile, await logTail(layout));
    }
    try {
      const answer = await keycloakRequest(base, {
        method: 'GET',
        path: '/health/ready',
        alsoOk: [503],
        timeoutMs: 2_000,
      });
      if (answer.status === 200) return;
      lastState = `health/ready answered ${answer.status}`;
    } catch (error) {
      lastState = (error as Error).message;
    }
    if (Date.now() > deadline) {
      throw new StartTimeoutError(layout.name, timeoutMs, lastState, await logTail(layout));
    }
    await sleep(POLL_INTERVAL_MS);
  }
}
