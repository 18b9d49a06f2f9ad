import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JarResolutionError } from './errors.js';
import { paths } from './lib/paths.js';
import { assertJava, runTool } from './lib/tools.js';
import { pinnedKafkaVersion } from './version.js';

/** The resolved broker runtime: where its jars are and which Kafka version they are. */
export interface KafkaJars {
  /** The pinned Apache Kafka version, from `packages/kafka-local/pom.xml`. */
  readonly version: string;
  /** Directory holding every runtime jar (`<repo>/.cache/kafka/<version>/lib`). */
  readonly libDir: string;
  /** A `java -cp` value covering all of them (`<libDir>/*`, expanded by the JVM itself). */
  readonly classpath: string;
}

/** Options of {@link ensureJars}. */
export interface EnsureJarsOptions {
  /** Receives one line per step worth telling a human about (Maven runs only). Default: silent. */
  readonly log?: (message: string) => void;
}

/** Written after a complete resolution; a cache without it (or for another pom) is redone. */
interface ResolutionMarker {
  readonly pomSha256: string;
  readonly jars: readonly string[];
}

const MARKER_FILE = 'resolved.json';

/**
 * Makes sure the jars of the pinned Kafka broker are in the git-ignored cache, running Maven
 * (`dependency:copy-dependencies`) only when the cache is missing, incomplete, or was resolved
 * from a different `pom.xml`. Needs `java` always and `mvn` only when it resolves.
 *
 * @throws {ToolMissingError} `java` or `mvn` is not installed.
 * @throws {JarResolutionError} Maven failed or left an incomplete set of jars.
 * @example
 * ```ts
 * const { libDir, version } = await ensureJars({ log: console.info });
 * ```
 */
export async function ensureJars(options: EnsureJarsOptions = {}): Promise<KafkaJars> {
  const version = pinnedKafkaVersion();
  const versionDir = join(paths.cacheRoot, version);
  const libDir = join(versionDir, 'lib');
  const jars: KafkaJars = { version, libDir, classpath: join(libDir, '*') };
  await assertJava();

  const pomSha256 = createHash('sha256')
    .update(await readFile(paths.pom))
    .digest('hex');
  if (await isComplete(versionDir, libDir, pomSha256)) return jars;

  options.log?.(`resolving Apache Kafka ${version} jars with Maven into ${libDir} ...`);
  // Resolve into a private directory and swap it in, so an interrupted run or a concurrent
  // caller never sees a half-copied lib/ that the marker would vouch for.
  const staging = join(versionDir, `lib.staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(versionDir, { recursive: true });
  const run = await runTool('mvn', [
    '-q',
    '-B',
    '-f',
    paths.pom,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${staging}`,
  ]);
  if (run.exitCode !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw new JarResolutionError(`mvn exited with code ${run.exitCode}`, run.output);
  }
  const resolved = (await readdir(staging)).filter((file) => file.endsWith('.jar')).sort();
  if (!resolved.includes(brokerJar(version))) {
    await rm(staging, { recursive: true, force: true });
    throw new JarResolutionError(`${brokerJar(version)} is missing after the run`, run.output);
  }

  await rm(join(versionDir, MARKER_FILE), { force: true });
  await rm(libDir, { recursive: true, force: true });
  await rename(staging, libDir);
  const marker: ResolutionMarker = { pomSha256, jars: resolved };
  await writeFile(join(versionDir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
  options.log?.(`resolved ${resolved.length} jars`);
  return jars;
}

function brokerJar(version: string): string {
  return `kafka_2.13-${version}.jar`;
}

async function isComplete(versionDir: string, libDir: string, pomSha256: string): Promise<boolean> {
  const markerPath = join(versionDir, MARKER_FILE);
  if (!existsSync(markerPath) || !existsSync(libDir)) return false;
  let marker: ResolutionMarker;
  try {
    marker = JSON.parse(await readFile(markerPath, 'utf8')) as ResolutionMarker;
  } catch {
    return false;
  }
  if (marker.pomSha256 !== pomSha256 || !Array.isArray(marker.jars)) return false;
  const present = new Set(await readdir(libDir));
  return (marker.jars as readonly unknown[]).every(
    (jar) => typeof jar === 'string' && present.has(jar),
  );
}
