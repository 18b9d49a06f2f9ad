/**
 * The Keycloak release every local instance runs: the one place the version is written down.
 * The distribution is `org.keycloak:keycloak-quarkus-dist:<version>:tar.gz` on Maven Central.
 *
 * @example
 * ```ts
 * KEYCLOAK_VERSION; // '26.7.3'
 * ```
 */
export const KEYCLOAK_VERSION = '26.7.3';
