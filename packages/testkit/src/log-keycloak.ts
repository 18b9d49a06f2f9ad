import type { KeycloakServer, KeycloakSource } from './get-keycloak.js';

const SOURCE_LABEL: Record<KeycloakSource, string> = {
  env: 'KEYCLOAK_URL',
  local: 'local start-dev',
};

/**
 * The one line that says which Keycloak a test run talks to, e.g.
 * `[testkit] Keycloak 26.7.3 (local start-dev) at http://127.0.0.1:18080`.
 *
 * @example
 * ```ts
 * describeKeycloak(await getKeycloak());
 * ```
 */
export function describeKeycloak(
  keycloak: Pick<KeycloakServer, 'url' | 'source' | 'version'>,
): string {
  return `[testkit] Keycloak ${keycloak.version} (${SOURCE_LABEL[keycloak.source]}) at ${keycloak.url}`;
}

/**
 * Prints {@link describeKeycloak}'s line, so every test log records the Keycloak version it ran
 * against. `print` defaults to `console.info`.
 *
 * @example
 * ```ts
 * logKeycloak(keycloak); // [testkit] Keycloak 26.7.3 (local start-dev) at http://127.0.0.1:18080
 * ```
 */
export function logKeycloak(
  keycloak: Pick<KeycloakServer, 'url' | 'source' | 'version'>,
  // Printing into the test output is this function's purpose (see logBroker).
  // eslint-disable-next-line no-console
  print: (line: string) => void = console.info,
): void {
  print(describeKeycloak(keycloak));
}
