import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { KeycloakDistribution } from '../ensure-keycloak.js';
import { paths } from './paths.js';

/** Where one named instance keeps its files: `<repo>/.keycloak/<name>/`. */
export interface InstanceLayout {
  readonly name: string;
  readonly dir: string;
  /** The instance's own Keycloak home (see {@link prepareHome}). */
  readonly home: string;
  readonly logFile: string;
  /** `instance.json`: pid, ports and the bootstrap admin of the running instance. */
  readonly stateFile: string;
}

/** What `instance.json` records about a started instance. */
const instanceStateSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int(),
  managementPort: z.number().int(),
  url: z.string(),
  adminUsername: z.string(),
  adminPassword: z.string(),
  version: z.string(),
  startedAt: z.string(),
});

/** The recorded state of a started instance. */
export type InstanceState = z.infer<typeof instanceStateSchema>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The layout of instance `name`; a name is a plain directory name. */
export function instanceLayout(name: string, root: string = paths.instancesRoot): InstanceLayout {
  if (!NAME.test(name)) {
    throw new TypeError(`name must be letters, digits, '.', '_' or '-' (max 64), got '${name}'`);
  }
  const dir = join(root, name);
  return {
    name,
    dir,
    home: join(dir, 'home'),
    logFile: join(dir, 'keycloak.log'),
    stateFile: join(dir, 'instance.json'),
  };
}

/**
 * A JVM system property (`name=value`) that names the instance directory, put on the JVM's
 * command line so the instance's processes can be recognised.
 */
export function instanceMarker(layout: InstanceLayout): string {
  return `revocation-fabric.keycloak=${layout.dir}`;
}

/** Names of every instance that has a directory under the instances root. */
export async function instanceNames(root: string = paths.instancesRoot): Promise<string[]> {
  if (!existsSync(root)) return [];
  const entries = await readdir(root, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/** The recorded state, or `undefined` when there is none (or it is unreadable). */
export async function readState(layout: InstanceLayout): Promise<InstanceState | undefined> {
  try {
    const parsed = instanceStateSchema.safeParse(
      JSON.parse(await readFile(layout.stateFile, 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Records the state; readable by the owner only, since it holds the admin password. */
export async function writeState(layout: InstanceLayout, state: InstanceState): Promise<void> {
  await writeFile(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Forgets the state of a stopped instance. */
export async function clearState(layout: InstanceLayout): Promise<void> {
  await rm(layout.stateFile, { force: true });
}

// Keycloak writes into its home at start-up: the build of `lib/quarkus/` (re-done whenever the
// build options differ) and `data/` (transaction logs). Two instances started from one home
// would overwrite each other there, so each gets its own home: those parts and the small
// scripts are copied; the 170 MB of jars and themes, which nothing writes, are linked.
const COPIED = ['bin', 'conf', 'lib/quarkus', 'lib/quarkus-run.jar', 'version.txt'];
const LINKED = ['lib/lib', 'lib/app', 'themes', 'providers'];

/**
 * Gives the instance its own Keycloak home made from the cached distribution, once per
 * distribution version; later starts reuse it, with its already built `lib/quarkus/`.
 */
export async function prepareHome(
  layout: InstanceLayout,
  distribution: KeycloakDistribution,
): Promise<void> {
  const marker = join(layout.home, `.prepared-${distribution.version}`);
  if (existsSync(marker)) return;
  await rm(layout.home, { recursive: true, force: true });
  await mkdir(join(layout.home, 'lib'), { recursive: true });
  for (const part of COPIED) {
    const source = join(distribution.home, part);
    if (existsSync(source)) await cp(source, join(layout.home, part), { recursive: true });
  }
  for (const part of LINKED) {
    await symlink(join(distribution.home, part), join(layout.home, part));
  }
  await mkdir(join(layout.home, 'data'), { recursive: true });
  await writeFile(marker, `${new Date().toISOString()}\n`);
}
