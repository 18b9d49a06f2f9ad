/**
 * Vitest globalSetup of the keycloak project: one real Keycloak for the whole run (a start
 * takes 35-45 s on two cores, so test files share it and each works in realms of its own).
 * Chosen with the testkit (KEYCLOAK_URL + admin login, else the local start-dev instance), handed
 * to test files through `inject('keycloak')`, and stopped at the end only if started here.
 */
import { getKeycloak, logKeycloak } from '@revocation-fabric/testkit';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's Keycloak: base URL, master-realm admin, version. */
    keycloak: { url: string; adminUsername: string; adminPassword: string; version: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const keycloak = await getKeycloak({ log: (message) => console.info(`[testkit] ${message}`) });
  project.provide('keycloak', {
    url: keycloak.url,
    adminUsername: keycloak.adminUsername,
    adminPassword: keycloak.adminPassword,
    version: keycloak.version,
  });
  logKeycloak(keycloak);
  return async () => {
    await keycloak.stop();
  };
}
