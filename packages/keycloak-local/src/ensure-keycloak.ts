import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DistributionError } from './errors.js';
import { paths } from './lib/paths.js';
import { runTool } from './lib/tools.js';
import { KEYCLOAK_VERSION } from './version.js';

/** The unpacked Keycloak distribution in the cache. */
export interface KeycloakDistribution {
  /** The Keycloak version, {@link KEYCLOAK_VERSION}. */
  readonly version: string;
  /** The unpacked distribution (`<repo>/.cache/keycloak/<version>/home`), never run in place. */
  readonly home: string;
}

/** Options of {@link ensureKeycloak}. */
export interface EnsureKeycloakOptions {
  /** Receives one line per step worth telling a human about (download, unpack). Default: silent. */
  readonly log?: (message: string) => void;
  /** Where distributions are kept, one directory per version. Default: `<repo>/.cache/keycloak`. */
  readonly cacheRoot?: string;
}

/**
 * Makes sure the pinned Keycloak server distribution is unpacked in the git-ignored cache,
 * resolving `org.keycloak:keycloak-quarkus-dist:<version>:tar.gz` with Maven only when the
 * archive is missing. Idempotent and safe when several processes race: each downloads and unpacks
 * into a private directory and renames it into place, and a rename that loses the race is
 * discarded in favour of the winner's identical copy.
 *
 * @throws {ToolMissingError} `mvn` or `tar` is not installed.
 * @throws {DistributionError} Maven failed, or the archive did not unpack to the expected version.
 * @example
 * ```ts
 * const { home, version } = await ensureKeycloak({ log: console.error });
 * ```
 */
export async function ensureKeycloak(
  options: EnsureKeycloakOptions = {},
): Promise<KeycloakDistribution> {
  const version = KEYCLOAK_VERSION;
  const versionDir = join(options.cacheRoot ?? paths.cacheRoot, version);
  const home = join(versionDir, 'home');
  const distribution = { version, home };
  if (await isUnpacked(home, version)) return distribution;

  await mkdir(versionDir, { recursive: true });
  const archive = join(versionDir, `keycloak-quarkus-dist-${version}.tar.gz`);
  if (!existsSync(archive)) await download(versionDir, archive, version, options.log);

  options.log?.(`unpacking Keycloak ${version} into ${home} ...`);
  const staging = join(versionDir, `unpack-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  try {
    const run = await runTool('tar', ['-xzf', archive, '-C', staging]);
    if (run.exitCode !== 0) {
      // A truncated archive (an interrupted copy) must not stay and fail every later run.
      await rm(archive, { force: true });
      throw new DistributionError(`tar exited with code ${run.exitCode}`, run.output);
    }
    const unpacked = join(staging, `keycloak-${version}`);
    if (!(await isUnpacked(unpacked, version))) {
      // Not the distribution (a wrong or corrupted file): drop it, the next call downloads again.
      await rm(archive, { force: true });
      throw new DistributionError(`${archive} did not contain keycloak-${version}/`, '');
    }
    try {
      await rename(unpacked, home);
    } catch (error) {
      // Another process renamed its copy first: theirs is as good as ours.
      if (!(await isUnpacked(home, version))) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return distribution;
}

async function download(
  versionDir: string,
  archive: string,
  version: string,
  log: ((message: string) => void) | undefined,
): Promise<void> {
  log?.(`resolving org.keycloak:keycloak-quarkus-dist:${version}:tar.gz with Maven ...`);
  const staging = join(versionDir, `download-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const run = await runTool('mvn', [
      '-q',
      '-B',
      'dependency:copy',
      `-Dartifact=org.keycloak:keycloak-quarkus-dist:${version}:tar.gz`,
      `-DoutputDirectory=${staging}`,
    ]);
    const copied = join(staging, `keycloak-quarkus-dist-${version}.tar.gz`);
    if (run.exitCode !== 0 || !existsSync(copied)) {
      throw new DistributionError(`mvn exited with code ${run.exitCode}`, run.output);
    }
    // rename() replaces atomically: a racing process sees no archive or a complete one.
    await rename(copied, archive);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A directory is a usable distribution when its version.txt names the pinned version. */
async function isUnpacked(dir: string, version: string): Promise<boolean> {
  try {
    const text = await readFile(join(dir, 'version.txt'), 'utf8');
    return text.trim().endsWith(` ${version}`) && existsSync(join(dir, 'bin', 'kc.sh'));
  } catch {
    return false;
  }
}
