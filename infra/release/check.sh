#!/usr/bin/env bash
# Checks the published packages as a registry and a type checker will see them: packs them
# (pack.sh), then runs publint (manifest, exports, files) and @arethetypeswrong/cli (types for
# every entry point under node10, node16-cjs, node16-esm and bundler resolution) on each
# tarball, after check-tarball.mjs (no build leftovers; every source and declaration map resolves
# inside the tarball). Exits non-zero on any error or warning.
#
# attw's `--profile node16` would flag the CommonJS resolution: the packages are ESM that
# Node >= 22.12 loads through require(esm), which attw 0.18 does not model, so the CJS column
# reports "ESM (dynamic import only)". That one finding is expected and ignored by name
# (--ignore-rules cjs-resolves-to-esm); examples/commonjs proves require() works for real.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dest="$root/.cache/tarballs"
mapfile -t tarballs < <(bash infra/release/pack.sh "$dest")
status=0
node infra/release/check-tarball.mjs "${tarballs[@]}" || status=1
for tarball in "${tarballs[@]}"; do
  name=$(basename "$tarball")
  echo "== $name"
  pnpm exec publint run --strict "$tarball" || status=1
  pnpm exec attw --pack "$tarball" --format table-flipped --ignore-rules cjs-resolves-to-esm || status=1
done
exit $status
