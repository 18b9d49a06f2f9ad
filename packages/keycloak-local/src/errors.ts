import { CodedError } from '@revocation-fabric/protocol';

/** Stable codes of every way the local Keycloak tooling can fail. */
export type KeycloakLocalErrorCode =
  | 'TOOL_MISSING'
  | 'DISTRIBUTION_FAILED'
  | 'PORT_IN_USE'
  | 'INSTANCE_MISMATCH'
  | 'KEYCLOAK_EXITED'
  | 'START_TIMEOUT'
  | 'ADMIN_REQUEST_FAILED'
  | 'UNEXPECTED_RESPONSE';

/**
 * Base class of every error this package throws. Switch on `code`, which is stable; `message`
 * is one line for humans and already says what to do about it.
 *
 * @example
 * ```ts
 * try { await startKeycloak({ port: 18080 }); }
 * catch (error) { if (error instanceof KeycloakLocalError && error.code === 'PORT_IN_USE') ... }
 * ```
 */
export abstract class KeycloakLocalError extends CodedError<KeycloakLocalErrorCode> {}

/**
 * A program the local Keycloak needs is not on `PATH`.
 *
 * @example
 * ```ts
 * new ToolMissingError('mvn', 'Apache Maven 3.6+');
 * ```
 */
export class ToolMissingError extends KeycloakLocalError {
  override readonly code = 'TOOL_MISSING';
  constructor(
    /** The executable that could not be started. */
    readonly tool: string,
    /** What to install. */
    readonly install: string,
  ) {
    super(`\`${tool}\` was not found on PATH: install ${install} to run the local Keycloak`);
  }
}

/**
 * Maven could not resolve the distribution archive, or it could not be unpacked.
 *
 * @example
 * ```ts
 * new DistributionError('mvn exited with code 1', output);
 * ```
 */
export class DistributionError extends KeycloakLocalError {
  override readonly code = 'DISTRIBUTION_FAILED';
  constructor(
    /** What failed. */
    detail: string,
    /** The tail of the tool's output, for diagnosis. */
    readonly output: string,
  ) {
    super(`preparing the Keycloak distribution failed: ${detail}`);
  }
}

/**
 * A port the instance needs already answers, and not from this instance.
 *
 * @example
 * ```ts
 * new PortInUseError(18080);
 * ```
 */
export class PortInUseError extends KeycloakLocalError {
  override readonly code = 'PORT_IN_USE';
  constructor(
    /** The busy TCP port on the loopback interface. */
    readonly port: number,
  ) {
    super(`port ${port} is already in use by another process: pick another --port or stop it`);
  }
}

/**
 * The named instance is already running, but on another port than asked for.
 *
 * @example
 * ```ts
 * new InstanceMismatchError('test', 18080, 18090);
 * ```
 */
export class InstanceMismatchError extends KeycloakLocalError {
  override readonly code = 'INSTANCE_MISMATCH';
  constructor(
    /** The instance name. */
    readonly instance: string,
    /** The port it runs on. */
    readonly runningPort: number,
    /** The port that was asked for. */
    readonly requestedPort: number,
  ) {
    super(
      `Keycloak '${instance}' already runs on port ${runningPort}, not ${requestedPort}: stop it first (pnpm keycloak stop --name ${instance})`,
    );
  }
}

/**
 * The Keycloak process exited while it was starting.
 *
 * @example
 * ```ts
 * new KeycloakExitedError('test', '.keycloak/test/keycloak.log', tail);
 * ```
 */
export class KeycloakExitedError extends KeycloakLocalError {
  override readonly code = 'KEYCLOAK_EXITED';
  constructor(
    /** The instance name. */
    readonly instance: string,
    /** Its log file. */
    readonly logFile: string,
    /** The last lines it logged. */
    readonly logTail: string,
  ) {
    super(`Keycloak '${instance}' exited during start-up; see ${logFile}. Last lines:\n${logTail}`);
  }
}

/**
 * Keycloak did not report ready within the time allowed.
 *
 * @example
 * ```ts
 * new StartTimeoutError('test', 120_000, 'connection refused', tail);
 * ```
 */
export class StartTimeoutError extends KeycloakLocalError {
  override readonly code = 'START_TIMEOUT';
  constructor(
    /** The instance that did not come up. */
    readonly instance: string,
    /** How long we waited, in milliseconds. */
    readonly timeoutMs: number,
    /** What the last readiness probe saw. */
    readonly lastState: string,
    /** The last lines Keycloak logged. */
    readonly logTail: string,
  ) {
    super(
      `Keycloak '${instance}' was not ready after ${timeoutMs} ms (${lastState}). Last log lines:\n${logTail}`,
    );
  }
}

/**
 * Keycloak answered an admin or protocol request with an error status.
 *
 * @example
 * ```ts
 * new AdminRequestError('POST', '/admin/realms', 409, '{"errorMessage":"Conflict"}');
 * ```
 */
export class AdminRequestError extends KeycloakLocalError {
  override readonly code = 'ADMIN_REQUEST_FAILED';
  constructor(
    /** HTTP method. */
    readonly method: string,
    /** Path below the Keycloak base URL. */
    readonly path: string,
    /** The HTTP status Keycloak answered. */
    readonly status: number,
    /** Keycloak's response body (truncated). */
    readonly body: string,
  ) {
    super(`Keycloak answered ${method} ${path} with ${status}: ${body.slice(0, 300)}`);
  }
}

/**
 * Keycloak answered with a success status but a body this package cannot use.
 *
 * @example
 * ```ts
 * new UnexpectedResponseError('/realms/r/protocol/openid-connect/token', 'no access_token');
 * ```
 */
export class UnexpectedResponseError extends KeycloakLocalError {
  override readonly code = 'UNEXPECTED_RESPONSE';
  constructor(
    /** Path below the Keycloak base URL. */
    readonly path: string,
    /** What was wrong with the answer. */
    detail: string,
  ) {
    super(`Keycloak's answer to ${path} is not usable: ${detail}`);
  }
}
