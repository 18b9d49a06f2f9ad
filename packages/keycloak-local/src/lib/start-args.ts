/** What a Keycloak command line is built from. */
export interface KeycloakLaunch {
  /** HTTP port of the server (loopback only). */
  readonly port: number;
  /** Port of the management interface (health). */
  readonly managementPort: number;
  /** Bootstrap admin of the master realm. */
  readonly adminUsername: string;
  readonly adminPassword: string;
  /** SSF push outbox drainer tick, e.g. `1s`. */
  readonly ssfDrainerInterval: string;
  /** Marker property naming the instance directory, so its processes can be recognised. */
  readonly marker: string;
  /** Both JIT compilers (for benchmarks), instead of the quicker-starting C1 only. */
  readonly fullJit: boolean;
}

/** The SSF transmitter's SPI: `--spi-<spi>--<provider>--<option>` (Keycloak's CLI spelling). */
const SSF_SPI = '--spi-ssf-transmitter--default';

/**
 * The arguments of `bin/kc.sh` for a throw-away development instance with the SSF transmitter.
 * Every option is one token (`--name=value`) so the list reads back from `/proc/<pid>/cmdline`.
 *
 * @example
 * ```ts
 * kcArguments({ port: 18080, managementPort: 18081, ... }); // ['start-dev', '--http-port=18080', ...]
 * ```
 */
export function kcArguments(launch: KeycloakLaunch): string[] {
  const base = `http://127.0.0.1:${launch.port}`;
  return [
    'start-dev',
    // In-memory H2: every start is a clean server, and instances share nothing on disk.
    '--db=dev-mem',
    '--features=ssf',
    '--http-host=127.0.0.1',
    `--http-port=${launch.port}`,
    // The issuer (`iss` of every token, logout token and SET) is fixed to this URL, whatever
    // host name a client used to reach the server: tests and the gateway compare it exactly.
    `--hostname=${base}`,
    '--health-enabled=true',
    '--http-management-host=127.0.0.1',
    `--http-management-port=${launch.managementPort}`,
    // The gateway's push endpoint is plain http on the loopback interface.
    `${SSF_SPI}--allow-insecure-push-targets=true`,
    // Pushed SETs wait in an outbox for the drainer's next tick (default 30 s).
    `${SSF_SPI}--outbox-drainer-interval=${launch.ssfDrainerInterval}`,
  ];
}

/**
 * The environment of `bin/kc.sh`: the caller's, plus the bootstrap admin and JVM options.
 *
 * @example
 * ```ts
 * kcEnvironment(launch, process.env).KC_BOOTSTRAP_ADMIN_USERNAME;
 * ```
 */
export function kcEnvironment(
  launch: KeycloakLaunch,
  inherited: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...inherited };
  // A Keycloak configured through the caller's environment would not be the instance we start.
  for (const key of Object.keys(env)) if (key.startsWith('KC_')) delete env[key];
  return {
    ...env,
    KC_BOOTSTRAP_ADMIN_USERNAME: launch.adminUsername,
    KC_BOOTSTRAP_ADMIN_PASSWORD: launch.adminPassword,
    JAVA_OPTS_KC_HEAP: '-Xms128m -Xmx768m',
    // Quicker start-up on a small machine: the C1 compiler only, unless a benchmark wants the
    // server at full speed. (kc.sh already picks G1, so no other collector may be named here.)
    JAVA_OPTS_APPEND: `${launch.fullJit ? '' : '-XX:TieredStopAtLevel=1 '}-D${launch.marker}`,
  };
}
