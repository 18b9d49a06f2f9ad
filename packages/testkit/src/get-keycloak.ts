import {
  connectAdmin,
  serverVersion,
  startKeycloak,
  type AdminLogin,
} from '@revocation-fabric/keycloak-local';

/** Where the Keycloak came from. */
export type KeycloakSource = 'env' | 'local';

/** A reachable Keycloak for tests, with a master-realm administrator. */
export interface KeycloakServer extends AdminLogin {
  /**
   * `env`: `KEYCLOAK_URL` with `KEYCLOAK_ADMIN_USERNAME`/`KEYCLOAK_ADMIN_PASSWORD` named it.
   * `local`: a local development instance (`pnpm keycloak start`), started or found running.
   */
  readonly source: KeycloakSource;
  /** The version the server reports. */
  readonly version: string;
  /** Stops it if this call started it; otherwise does nothing. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link getKeycloak}. */
export interface GetKeycloakOptions {
  /** HTTP port of the local instance. Default: `KEYCLOAK_LOCAL_PORT` if set, else 18080. */
  readonly localPort?: number;
  /** How long a local instance may take to start, in ms. Default: 240 000. */
  readonly startTimeoutMs?: number;
  /**
   * Start a local instance with both JIT compilers (slower start, faster server: benchmarks).
   * No effect on a Keycloak that `KEYCLOAK_URL` names or that is already running. Default: false.
   */
  readonly fullJit?: boolean;
  /** Receives progress lines (a first start takes about 40 s). Default: silent. */
  readonly log?: (message: string) => void;
}

/**
 * Finds or starts a real Keycloak: the one `KEYCLOAK_URL` + `KEYCLOAK_ADMIN_USERNAME` +
 * `KEYCLOAK_ADMIN_PASSWORD` name (never stopped), else the local instance of
 * `@revocation-fabric/keycloak-local` on `localPort` (reused if already running). Either way
 * the admin login is confirmed by asking the server its version.
 *
 * @throws {AdminRequestError} the server did not answer or refused the admin login.
 * @example
 * ```ts
 * const keycloak = await getKeycloak();
 * try { ... } finally { await keycloak.stop(); }
 * ```
 */
export async function getKeycloak(options: GetKeycloakOptions = {}): Promise<KeycloakServer> {
  const url = process.env['KEYCLOAK_URL']?.trim();
  if (url !== undefined && url !== '') {
    const login = {
      url: url.replace(/\/+$/, ''),
      adminUsername: requiredEnv('KEYCLOAK_ADMIN_USERNAME'),
      adminPassword: requiredEnv('KEYCLOAK_ADMIN_PASSWORD'),
    };
    const version = await serverVersion(await connectAdmin(login));
    return { ...login, source: 'env', version, stop: () => Promise.resolve() };
  }

  const keycloak = await startKeycloak({
    port: options.localPort ?? localPortFromEnv() ?? 18080,
    startTimeoutMs: options.startTimeoutMs ?? 240_000,
    ...(options.fullJit === undefined ? {} : { fullJit: options.fullJit }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const login = {
    url: keycloak.url,
    adminUsername: keycloak.adminUsername,
    adminPassword: keycloak.adminPassword,
  };
  const version = await serverVersion(await connectAdmin(login));
  return {
    ...login,
    source: 'local',
    version,
    // An instance someone started before us (`pnpm keycloak start`) is theirs to stop.
    stop: keycloak.alreadyRunning ? () => Promise.resolve() : () => keycloak.stop(),
  };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new TypeError(`KEYCLOAK_URL is set, so ${name} must be set too`);
  }
  return value;
}

function localPortFromEnv(): number | undefined {
  const value = process.env['KEYCLOAK_LOCAL_PORT'];
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1024 || port > 65_530) {
    throw new TypeError(
      `KEYCLOAK_LOCAL_PORT must be an integer port from 1024 to 65530, got ${JSON.stringify(value)}`,
    );
  }
  return port;
}
