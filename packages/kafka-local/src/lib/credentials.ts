import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile } from './json-file.js';

/**
 * The principals of a secured local cluster, each a SCRAM-SHA-512 user. `admin` is the super
 * user (brokers, controllers and ACL management); the others get only the ACLs of their role.
 */
export const PRINCIPALS = ['admin', 'user-service', 'gateway', 'verifier'] as const;

/** A principal's name. */
export type PrincipalName = (typeof PRINCIPALS)[number];

/** Every principal's password, as generated for one cluster. */
export type ClusterCredentials = { readonly [P in PrincipalName]: string };

function credentialsFile(clusterDir: string): string {
  return join(clusterDir, 'credentials.json');
}

/**
 * The cluster's credentials: read from `<clusterDir>/credentials.json`, or generated (32 random
 * bytes, hex: no character needs quoting in JAAS or StorageTool's `--add-scram`) and written
 * there readable by the owner only. The file outlives restarts because the SCRAM credentials
 * live in the formatted metadata; `fresh` deletes both together.
 */
export async function clusterCredentials(clusterDir: string): Promise<ClusterCredentials> {
  const existing = await readCredentials(clusterDir);
  if (existing !== undefined) return existing;
  const generated = Object.fromEntries(
    PRINCIPALS.map((name) => [name, randomBytes(32).toString('hex')]),
  ) as ClusterCredentials;
  await writeFile(credentialsFile(clusterDir), `${JSON.stringify(generated, null, 2)}\n`, {
    mode: 0o600,
  });
  return generated;
}

/** The cluster's credentials, or `undefined` if it was never secured. */
export function readCredentials(clusterDir: string): Promise<ClusterCredentials | undefined> {
  return readJsonFile<ClusterCredentials>(credentialsFile(clusterDir));
}

/** The admin login for probes and ACL changes, or `undefined` for an unsecured cluster. */
export async function adminLogin(
  secured: boolean,
  clusterDir: string,
): Promise<{ username: string; password: string } | undefined> {
  if (!secured) return undefined;
  return { username: 'admin', password: (await clusterCredentials(clusterDir)).admin };
}
