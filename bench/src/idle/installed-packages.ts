/**
 * The "installed from the tarball" arm of B7: the published packages packed exactly as a
 * registry would serve them (infra/release/pack.sh) and installed with plain npm into a folder
 * outside the workspace, as an adopting team's service has them. No pnpm patch, no workspace
 * link reaches that copy: whatever the packages need (the kafkajs idle-timer fix included) must
 * travel inside them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A folder outside the workspace whose node_modules holds the npm-installed tarballs. */
export interface InstalledPackages {
  readonly dir: string;
  remove(): Promise<void>;
}

/** Packs the published packages and installs them with npm into a fresh temporary folder. */
export async function installPackedPackages(): Promise<InstalledPackages> {
  const dir = await mkdtemp(join(tmpdir(), 'rf-bench-installed-'));
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const tarballs = join(dir, 'tarballs');
    await run('bash', [join(ROOT, 'infra/release/pack.sh'), tarballs], { cwd: ROOT });
    const files = (await readdir(tarballs)).filter((name) => name.endsWith('.tgz'));
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'installed-verifier', private: true, type: 'module' }),
    );
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', ...files.map((name) => `./tarballs/${name}`)],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    );
    return { dir, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
