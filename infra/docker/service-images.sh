#!/usr/bin/env bash
# Builds the service images the compose stack runs: the node image only when missing (or with
# --rebuild); the service images every time, Docker's layer cache deciding what really is rebuilt
# (an image kept by name alone would run yesterday's sources):
#
#   revocation-fabric/node-from-registry:<.node-version>   infra/docker/node/Dockerfile: Debian
#                                                minbase + the Node of .node-version from the npm
#                                                registry (infra/node/ensure.sh) + this machine's npm
#   revocation-fabric/user-service:local         infra/docker/service/Dockerfile, one for the three
#   revocation-fabric/game-service:local         (build args SERVICE and PORT), FROM that node image
#   revocation-fabric/revocation-gateway:local   (or FROM $NODE_IMAGE when it is set, e.g.
#                                                node:24-bookworm-slim on a machine with a registry)
#
#   infra/docker/service-images.sh [ensure] [--rebuild]   the node image (unless NODE_IMAGE) + all three
#   infra/docker/service-images.sh node [--rebuild]
#   infra/docker/service-images.sh names                  prints the image names, one a line
#
# The node image is tagged with the exact version in .node-version, so a new pin is a new image
# rather than a stale one kept by name. The builds fetch npm packages and Debian's compiler
# packages: `--network host`, because the project engine runs without iptables (no NAT for build
# containers). Uses DOCKER_HOST, else the project engine (infra/docker/engine.sh env).
set -euo pipefail

readonly ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly MINBASE=revocation-fabric/debian-minbase:bookworm
readonly NODE_VERSION=$(tr -d ' \n\r' <"$ROOT/.node-version")
readonly LOCAL_NODE=revocation-fabric/node-from-registry:$NODE_VERSION
readonly SERVICES=(user-service game-service revocation-gateway)
# Each service's port (its default PORT): the image's ENV PORT, EXPOSE and health check.
declare -rA PORTS=([user-service]=3000 [game-service]=4000 [revocation-gateway]=3300)
readonly SERVICE_DOCKERFILE="$ROOT/infra/docker/service/Dockerfile"
readonly TAG=${SERVICE_IMAGE_TAG:-local}
# Git-ignored, like images.sh's Kafka context.
readonly NODE_CONTEXT="$ROOT/.cache/docker/node-context"

say() { printf 'service-images: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

if [[ -z ${DOCKER_HOST:-} ]]; then
  eval "$("$ROOT/infra/docker/engine.sh" env)"
  export DOCKER_HOST
fi
# Debian's docker.io ships no buildx plugin: the classic builder does everything used here.
if ! docker buildx version >/dev/null 2>&1; then export DOCKER_BUILDKIT=0; fi

# The node context holds a copy of node, its headers and npm (~210 MB): removed on any exit.
trap 'rm -rf "$NODE_CONTEXT"' EXIT

have_image() { docker image inspect "$1" >/dev/null 2>&1; }
size_of() { docker image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }

build_node() {
  have_image "$MINBASE" || "$ROOT/infra/docker/images.sh" minbase
  local dir node version
  dir=$(bash "$ROOT/infra/node/ensure.sh" "$NODE_VERSION") ||
    die "could not bring Node $NODE_VERSION into .cache/node (infra/node/ensure.sh)"
  node="$dir/bin/node"
  version=$("$node" --version)
  [[ $version == "v$NODE_VERSION" ]] || die "$node is $version, not v$NODE_VERSION (.node-version)"
  [[ -f $dir/include/node/node.h ]] || die "no Node headers in $dir/include/node (needed to compile better-sqlite3)"
  # The registry's node package has no npm: the machine's own, whatever node it was installed
  # with (npm is plain JavaScript; npm 11 supports Node ^20.17 || >=22.9). /usr/bin/npm is a
  # link to …/node_modules/npm/bin/npm-cli.js.
  local npm_cli npm_dir
  npm_cli=$(command -v npm) || die "no npm on this machine to copy into $LOCAL_NODE"
  npm_cli=$(readlink -f "$npm_cli")
  npm_dir=$(dirname "$(dirname "$npm_cli")")
  [[ $(basename "$npm_dir") == npm && -f $npm_dir/package.json ]] ||
    die "cannot find npm's package directory from $npm_cli"
  "$node" "$npm_dir/bin/npm-cli.js" --version >/dev/null 2>&1 ||
    die "npm in $npm_dir does not run on Node $version"
  rm -rf "$NODE_CONTEXT"
  mkdir -p "$NODE_CONTEXT/include"
  cp "$ROOT/infra/docker/node/Dockerfile" "$NODE_CONTEXT/"
  cp "$node" "$NODE_CONTEXT/node"
  cp -r "$dir/include/node" "$NODE_CONTEXT/include/node"
  cp -r "$npm_dir" "$NODE_CONTEXT/npm"
  # Locally added CAs (none on most machines; here the egress proxy's): see the Dockerfile.
  mkdir -p "$NODE_CONTEXT/ca"
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$NODE_CONTEXT/ca/"
  fi
  local t0=$SECONDS
  say "building $LOCAL_NODE (node $version, npm $("$node" "$npm_dir/bin/npm-cli.js" --version))"
  docker build -q -t "$LOCAL_NODE" --build-arg "BASE_IMAGE=$MINBASE" \
    --build-arg "NODE_VERSION=$NODE_VERSION" "$NODE_CONTEXT" >/dev/null
  rm -rf "$NODE_CONTEXT"
  say "$LOCAL_NODE ($(size_of "$LOCAL_NODE")) built in $((SECONDS - t0)) s"
}

ensure_node() {
  if [[ $rebuild == 1 ]] || ! have_image "$LOCAL_NODE"; then build_node; fi
}

build_service() { # $1 = service, $2 = node image
  local image="revocation-fabric/$1:$TAG" t0=$SECONDS
  say "building $image FROM $2"
  docker build --network host -q -t "$image" --build-arg "NODE_IMAGE=$2" \
    --build-arg "SERVICE=$1" --build-arg "PORT=${PORTS[$1]}" \
    -f "$SERVICE_DOCKERFILE" "$ROOT" >/dev/null
  say "$image ($(size_of "$image")) built in $((SECONDS - t0)) s"
}

ensure_services() {
  local node_image=${NODE_IMAGE:-}
  if [[ -z $node_image ]]; then
    ensure_node
    node_image=$LOCAL_NODE
  fi
  for service in "${SERVICES[@]}"; do
    build_service "$service" "$node_image"
  done
}

cmd=ensure
rebuild=0
for arg in "$@"; do
  case $arg in
    ensure | node | names) cmd=$arg ;;
    --rebuild) rebuild=1 ;;
    *) die "unknown argument: $arg (usage: $0 [ensure|node|names] [--rebuild])" ;;
  esac
done

case $cmd in
  ensure) ensure_services ;;
  node) ensure_node ;;
  names)
    echo "$LOCAL_NODE"
    for service in "${SERVICES[@]}"; do echo "revocation-fabric/$service:$TAG"; done
    ;;
esac
