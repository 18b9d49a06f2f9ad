#!/usr/bin/env bash
# Packs every published workspace package (those under packages/ without "private": true) into
# a git-ignored folder, exactly as `pnpm publish` would upload them (workspace: ranges rewritten
# to versions), and prints the tarballs' paths, one a line. Adopters' apps (examples/) and the
# package checks (check.sh) install or inspect these files, never the workspace's links.
#
#   infra/release/pack.sh [DEST]     DEST defaults to .cache/tarballs (emptied first)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-$root/.cache/tarballs}
rm -rf "$dest" && mkdir -p "$dest"
cd "$root"
for manifest in packages/*/package.json; do
  dir=$(dirname "$manifest")
  node -e 'process.exit(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).private ? 1 : 0)' "$manifest" || continue
  [ -f "$dir/dist/index.js" ] || { echo "infra/release/pack.sh: $dir is not built (pnpm build)" >&2; exit 1; }
  pnpm --filter "./$dir" pack --pack-destination "$dest" >/dev/null
done
ls "$dest"/*.tgz
