import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureKeycloak } from './ensure-keycloak.js';
import { DistributionError } from './errors.js';
import { runTool } from './lib/tools.js';
import { KEYCLOAK_VERSION } from './version.js';

const ARCHIVE = `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz`;
let cacheRoot: string;

beforeEach(async () => {
  cacheRoot = await mkdtemp(join(tmpdir(), 'keycloak-cache-'));
});
afterEach(async () => {
  await rm(cacheRoot, { recursive: true, force: true });
});

describe('ensureKeycloak', () => {
  it('resolves and unpacks the pinned distribution once when two callers race', async () => {
    const [first, second] = await Promise.all([
      ensureKeycloak({ cacheRoot }),
      ensureKeycloak({ cacheRoot }),
    ]);
    expect(first.home).toBe(join(cacheRoot, KEYCLOAK_VERSION, 'home'));
    expect(second.home).toBe(first.home);
    expect(readFileSync(join(first.home, 'version.txt'), 'utf8')).toContain(KEYCLOAK_VERSION);
    expect(existsSync(join(first.home, 'bin', 'kc.sh'))).toBe(true);
    // No staging directory of either caller is left behind.
    expect(readdirSync(join(cacheRoot, KEYCLOAK_VERSION)).sort()).toEqual(['home', ARCHIVE]);
    // A later call finds it and changes nothing.
    await writeFile(join(first.home, 'marker'), 'kept');
    await ensureKeycloak({ cacheRoot });
    expect(readFileSync(join(first.home, 'marker'), 'utf8')).toBe('kept');
  });

  it('refuses an archive of something else, and drops it so the next call downloads afresh', async () => {
    const versionDir = join(cacheRoot, KEYCLOAK_VERSION);
    await mkdir(join(versionDir, 'src', 'not-keycloak'), { recursive: true });
    await writeFile(join(versionDir, 'src', 'not-keycloak', 'version.txt'), 'something else\n');
    const packed = await runTool('tar', [
      '-czf',
      join(versionDir, ARCHIVE),
      '-C',
      join(versionDir, 'src'),
      '.',
    ]);
    expect(packed.exitCode).toBe(0);
    await rm(join(versionDir, 'src'), { recursive: true });

    await expect(ensureKeycloak({ cacheRoot })).rejects.toBeInstanceOf(DistributionError);
    expect(readdirSync(versionDir)).toEqual([]);
  });
});
