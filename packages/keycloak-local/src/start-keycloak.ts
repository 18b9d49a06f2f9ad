import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { ensureKeycloak } from './ensure-keycloak.js';
import { InstanceMismatchError, PortInUseError } from './errors.js';
import {
  clearState,
  instanceLayout,
  instanceMarker,
  prepareHome,
  readState,
  writeState,
  type InstanceLayout,
  type InstanceState,
} from './lib/instance-files.js';
import { isInstanceLeader, portAnswers, spawnKeycloak, stopGroup } from './lib/process.js';
import { waitUntilReady } from './lib/readiness.js';
import { kcArguments, kcEnvironment } from './lib/start-args.js';

/** Options of {@link startKeycloak}. */
export interface StartKeycloakOptions {
  /** HTTP port on 127.0.0.1, 1024–65530. */
  readonly port: number;
  /** Management (health) port. Default: `port + 1`. */
  readonly managementPort?: number;
  /** Instance name, a directory under `.keycloak/`. Default: `local-<port>`. */
  readonly name?: string;
  /** How long Keycloak may take to become ready, in ms. Default: 180 000. */
  readonly startTimeoutMs?: number;
  /** SSF push outbox drainer tick (Keycloak duration syntax). Default: `1s` (Keycloak's: 30 s). */
  readonly ssfDrainerInterval?: string;
  /**
   * Run the JVM with both JIT compilers, for benchmarks. Default: false — the C1 compiler only,
   * which starts a few seconds sooner and is fast enough for tests.
   */
  readonly fullJit?: boolean;
  /** Receives progress lines. Default: silent. */
  readonly log?: (message: string) => void;
}

/** A running local Keycloak. */
export interface KeycloakHandle {
  readonly name: string;
  /** Base URL, e.g. `http://127.0.0.1:18080`; realm issuers are `<url>/realms/<realm>`. */
  readonly url: string;
  readonly port: number;
  readonly managementPort: number;
  /** The throw-away bootstrap admin of the master realm (client `admin-cli`). */
  readonly adminUsername: string;
  readonly adminPassword: string;
  /** The Keycloak version it runs. */
  readonly version: string;
  /** Process group id (the pid of `kc.sh`). */
  readonly pid: number;
  readonly logFile: string;
  /** True when it was running before this call (started by someone else). */
  readonly alreadyRunning: boolean;
  /** Stops it (SIGTERM to the process group, SIGKILL after 30 s). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a throw-away Keycloak in development mode (`kc.sh start-dev`, in-memory database,
 * feature `ssf`, loopback http push targets allowed) with a random bootstrap admin, and resolves
 * once it reports ready. An instance of that name already running on that port is returned as is.
 *
 * @throws {PortInUseError} the port or the management port is taken by another process.
 * @throws {InstanceMismatchError} the named instance runs on another port.
 * @throws {KeycloakExitedError} Keycloak exited during start-up.
 * @throws {StartTimeoutError} not ready in time (the error carries the log tail).
 * @example
 * ```ts
 * const keycloak = await startKeycloak({ port: 18080 });
 * try { ... } finally { await keycloak.stop(); }
 * ```
 */
export async function startKeycloak(options: StartKeycloakOptions): Promise<KeycloakHandle> {
  const port = checkPort(options.port, 'port');
  const managementPort = checkPort(options.managementPort ?? port + 1, 'managementPort');
  const layout = instanceLayout(options.name ?? `local-${port}`);
  const timeoutMs = options.startTimeoutMs ?? 180_000;

  const existing = await readState(layout);
  if (existing !== undefined && isInstanceLeader(existing.pid, layout)) {
    if (existing.port !== port) throw new InstanceMismatchError(layout.name, existing.port, port);
    return handle(layout, existing, true);
  }
  for (const candidate of [port, managementPort]) {
    if (await portAnswers(candidate)) throw new PortInUseError(candidate);
  }

  const distribution = await ensureKeycloak(options.log === undefined ? {} : { log: options.log });
  await mkdir(layout.dir, { recursive: true });
  await prepareHome(layout, distribution);
  const launch = {
    port,
    managementPort,
    adminUsername: `admin-${randomBytes(4).toString('hex')}`,
    adminPassword: randomBytes(18).toString('base64url'),
    ssfDrainerInterval: options.ssfDrainerInterval ?? '1s',
    marker: instanceMarker(layout),
    fullJit: options.fullJit ?? false,
  };
  options.log?.(`starting Keycloak ${distribution.version} '${layout.name}' on port ${port} ...`);
  const pid = await spawnKeycloak(layout, kcArguments(launch), kcEnvironment(launch, process.env));
  const state: InstanceState = {
    pid,
    port,
    managementPort,
    url: `http://127.0.0.1:${port}`,
    adminUsername: launch.adminUsername,
    adminPassword: launch.adminPassword,
    version: distribution.version,
    startedAt: new Date().toISOString(),
  };
  await writeState(layout, state);
  try {
    await waitUntilReady(layout, pid, managementPort, timeoutMs);
  } catch (error) {
    await stopGroup(pid, 10_000);
    await clearState(layout);
    throw error;
  }
  return handle(layout, state, false);
}

function handle(layout: InstanceLayout, state: InstanceState, alreadyRunning: boolean) {
  let stopped: Promise<void> | undefined;
  const result: KeycloakHandle = {
    name: layout.name,
    url: state.url,
    port: state.port,
    managementPort: state.managementPort,
    adminUsername: state.adminUsername,
    adminPassword: state.adminPassword,
    version: state.version,
    pid: state.pid,
    logFile: layout.logFile,
    alreadyRunning,
    stop: () =>
      (stopped ??= (async () => {
        if (isInstanceLeader(state.pid, layout)) await stopGroup(state.pid, 30_000);
        await clearState(layout);
      })()),
  };
  return result;
}

function checkPort(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1024 || value > 65_530) {
    throw new TypeError(`${option} must be an integer from 1024 to 65530, got ${value}`);
  }
  return value;
}
