import { existsSync, lstatSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clearState,
  instanceLayout,
  instanceNames,
  prepareHome,
  readState,
  writeState,
  type InstanceState,
} from './instance-files.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'keycloak-local-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A directory shaped like an unpacked distribution, small. */
async function fakeDistributionTree(dir: string): Promise<void> {
  for (const part of [
    'bin',
    'conf',
    'lib/quarkus',
    'lib/lib/main',
    'lib/app',
    'themes',
    'providers',
  ]) {
    await mkdir(join(dir, part), { recursive: true });
  }
  await writeFile(join(dir, 'bin', 'kc.sh'), '#!/bin/sh\n', { mode: 0o755 });
  await writeFile(join(dir, 'conf', 'keycloak.conf'), '# conf\n');
  await writeFile(join(dir, 'lib', 'quarkus-run.jar'), 'jar');
  await writeFile(join(dir, 'lib', 'lib', 'main', 'a.jar'), 'jar');
  await writeFile(join(dir, 'version.txt'), 'Keycloak - Version 26.7.3\n');
}

/** A small unpacked 26.7.3 distribution under the test's root. */
async function fakeDistribution(): Promise<{ version: string; home: string }> {
  const distribution = { version: '26.7.3', home: join(root, 'dist') };
  await fakeDistributionTree(distribution.home);
  return distribution;
}

/** A home prepared from {@link fakeDistribution}, holding a file Keycloak's build wrote. */
async function builtHome() {
  const distribution = await fakeDistribution();
  const layout = instanceLayout('h', root);
  await prepareHome(layout, distribution);
  await writeFile(join(layout.home, 'lib', 'quarkus', 'built.dat'), 'built');
  return { distribution, layout };
}

const state: InstanceState = {
  pid: 4242,
  port: 18080,
  managementPort: 18081,
  url: 'http://127.0.0.1:18080',
  adminUsername: 'admin-1',
  adminPassword: 'secret-1',
  version: '26.7.3',
  startedAt: '2026-12-01T22:00:00.000Z',
};

describe('instanceLayout', () => {
  it('places an instance under the root by name', () => {
    const layout = instanceLayout('test-1', root);
    expect(layout.dir).toBe(join(root, 'test-1'));
    expect(layout.logFile).toBe(join(root, 'test-1', 'keycloak.log'));
  });

  it.each(['', '../up', 'a/b', '.hidden', 'x'.repeat(65)])('refuses the name %j', (name) => {
    expect(() => instanceLayout(name, root)).toThrow(TypeError);
  });
});

describe('instance state', () => {
  it('reads back what was written, readable by the owner only', async () => {
    const layout = instanceLayout('s', root);
    await mkdir(layout.dir);
    await writeState(layout, state);
    expect(await readState(layout)).toEqual(state);
    expect(statSync(layout.stateFile).mode & 0o777).toBe(0o600);
    expect(await instanceNames(root)).toEqual(['s']);
  });

  it('reads an unreadable or foreign state file as no state', async () => {
    const layout = instanceLayout('s', root);
    await mkdir(layout.dir);
    await writeFile(layout.stateFile, '{"pid":"not a number"}');
    expect(await readState(layout)).toBeUndefined();
    await writeFile(layout.stateFile, 'not json');
    expect(await readState(layout)).toBeUndefined();
    await clearState(layout);
    expect(existsSync(layout.stateFile)).toBe(false);
  });
});

describe('prepareHome', () => {
  it('copies the parts Keycloak writes and links the jars and themes', async () => {
    const distribution = await fakeDistribution();
    const layout = instanceLayout('h', root);
    await prepareHome(layout, distribution);
    expect(lstatSync(join(layout.home, 'bin')).isDirectory()).toBe(true);
    expect(statSync(join(layout.home, 'bin', 'kc.sh')).mode & 0o111).not.toBe(0);
    expect(lstatSync(join(layout.home, 'lib', 'quarkus')).isSymbolicLink()).toBe(false);
    expect(lstatSync(join(layout.home, 'lib', 'lib')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(layout.home, 'themes')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(layout.home, 'lib', 'lib', 'main', 'a.jar'))).toBe(true);
    expect(lstatSync(join(layout.home, 'data')).isDirectory()).toBe(true);
  });

  it('keeps a prepared home (and what Keycloak built in it) on the next start', async () => {
    const { distribution, layout } = await builtHome();
    await prepareHome(layout, distribution);
    expect(await readFile(join(layout.home, 'lib', 'quarkus', 'built.dat'), 'utf8')).toBe('built');
  });

  it('rebuilds the home for another distribution version', async () => {
    const { distribution, layout } = await builtHome();
    await prepareHome(layout, { ...distribution, version: '26.8.0' });
    expect(existsSync(join(layout.home, 'lib', 'quarkus', 'built.dat'))).toBe(false);
    expect(existsSync(join(layout.home, '.prepared-26.8.0'))).toBe(true);
  });
});
