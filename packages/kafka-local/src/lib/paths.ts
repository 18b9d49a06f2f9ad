import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file sits at src/lib/ (sources, run by vitest) or dist/lib/ (built): two levels below the
// package in both cases, so the package and the repository are found without configuration.
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const repoRoot = resolve(packageRoot, '../..');

/** Fixed locations, all derived from where this package lives in the repository. */
export const paths = {
  packageRoot,
  repoRoot,
  /** The Maven project that pins the broker version. */
  pom: join(packageRoot, 'pom.xml'),
  /** Git-ignored jar cache: `<repo>/.cache/kafka/<version>/lib`. */
  cacheRoot: join(repoRoot, '.cache', 'kafka'),
  /** Git-ignored home of every local cluster: `<repo>/.kafka/<cluster-name>/`. */
  defaultDataDir: join(repoRoot, '.kafka'),
} as const;
