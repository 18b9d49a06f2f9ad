/**
 * Preloaded (`--import`) into B7's "installed" worker: resolves the published packages from the
 * folder named by BENCH_INSTALLED_DIR (npm-installed tarballs) instead of the workspace, so the
 * same worker program measures the verifier an adopter installs. Everything those packages
 * import (kafkajs, jose, …) then resolves inside that folder too.
 */
import { readdirSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

const dir = process.env['BENCH_INSTALLED_DIR'];
if (dir === undefined || dir === '') throw new Error('BENCH_INSTALLED_DIR is not set');
const parentURL = pathToFileURL(`${dir}/index.js`).href;
// Only the published packages: the worker's own helpers still import workspace-only ones.
const installed = new Set(
  readdirSync(`${dir}/node_modules/@revocation-fabric`).map((name) => `@revocation-fabric/${name}`),
);
const packageOf = (specifier: string): string => specifier.split('/').slice(0, 2).join('/');

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (installed.has(packageOf(specifier)))
      return nextResolve(specifier, { ...context, parentURL });
    return nextResolve(specifier, context);
  },
});
