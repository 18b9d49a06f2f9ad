#!/usr/bin/env node
/**
 * Points an app's @revocation-fabric dependencies at packed tarballs, as they would be once
 * published: `node use-tarballs.mjs <app-dir> <packs-dir>`.
 *
 * Each `@revocation-fabric/*` entry of the app's package.json becomes `file:<tarball>`. Their
 * own dependencies on each other (`@revocation-fabric/protocol@0.1.0`, …) would send npm to the
 * registry, where nothing is published yet, so every package of ours they need is added as a
 * `file:` dependency too; npm then takes those for the transitive edges (same name, version in
 * range). Other dependencies keep their version ranges.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [appDir, packsDir] = process.argv.slice(2).map((path) => resolve(path));
if (appDir === undefined || packsDir === undefined) {
  console.error('usage: node use-tarballs.mjs <app-dir> <packs-dir>');
  process.exit(2);
}

/** name → { tarball, manifest } for every tarball in the packs directory. */
const packs = new Map();
for (const file of readdirSync(packsDir).filter((name) => name.endsWith('.tgz'))) {
  const tarball = join(packsDir, file);
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  );
  packs.set(manifest.name, { tarball, manifest });
}

const ours = (name) => name.startsWith('@revocation-fabric/');
const manifestFile = join(appDir, 'package.json');
const app = JSON.parse(readFileSync(manifestFile, 'utf8'));
const dependencies = { ...app.dependencies };

const needed = new Set(Object.keys(dependencies).filter(ours));
for (const name of needed) {
  const pack = packs.get(name);
  if (pack === undefined) throw new Error(`${name}: no tarball in ${packsDir}`);
  for (const dependency of Object.keys(pack.manifest.dependencies ?? {}).filter(ours)) {
    needed.add(dependency); // a Set visits what is added during iteration
  }
}
for (const name of needed) dependencies[name] = `file:${packs.get(name).tarball}`;
app.dependencies = Object.fromEntries(
  Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)),
);
writeFileSync(manifestFile, `${JSON.stringify(app, null, 2)}\n`);
console.log([...needed].sort().join(' '));
