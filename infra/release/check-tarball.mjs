// Checks what publint and attw do not: that a packed tarball holds no build leftovers
// (.tsbuildinfo, tests, fixtures) and that every source map and declaration map points at
// sources the tarball ships, so an adopter's debugger and "go to definition" land on real files.
// Usage: node infra/release/check-tarball.mjs <tarball>...
import { execFileSync } from 'node:child_process';
import { posix } from 'node:path';

let failures = 0;
for (const tarball of process.argv.slice(2)) {
  const files = new Set(
    execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean),
  );
  const problems = [];
  for (const file of files) {
    if (/\.tsbuildinfo$|\.test\.[cm]?[jt]s$|\.fixture\.[cm]?[jt]s$|\/test-support\//.test(file)) {
      problems.push(`ships a build or test leftover: ${file}`);
    }
    if (!file.endsWith('.map')) continue;
    const map = JSON.parse(execFileSync('tar', ['-xzOf', tarball, file], { encoding: 'utf8' }));
    for (const source of map.sources ?? []) {
      const target = posix.normalize(posix.join(posix.dirname(file), map.sourceRoot ?? '', source));
      if (!files.has(target))
        problems.push(`${file} points at ${target}, which is not in the tarball`);
    }
  }
  console.log(
    `${posix.basename(tarball)}: ${files.size} files, ${problems.length ? `${problems.length} problem(s)` : 'no leftovers, every map resolves'}`,
  );
  for (const problem of problems.slice(0, 20)) console.log(`  ${problem}`);
  failures += problems.length;
}
process.exit(failures === 0 ? 0 : 1);
