#!/usr/bin/env bash
# Builds the project's local base images: the minbase only when missing (or with --rebuild), the
# Kafka image every time (its build inputs are in this repository; the layer cache makes an
# unchanged build take seconds):
#
#   revocation-fabric/debian-minbase:bookworm           debootstrap --variant=minbase + docker import
#   revocation-fabric/apache-kafka-from-maven:<version> infra/docker/kafka/Dockerfile FROM the minbase:
#                                                       JRE 17 (apt), the pinned Maven jars, an entry
#                                                       point reading the official image's KAFKA_* vars
#
#   infra/docker/images.sh ensure  [--rebuild]   both (the default subcommand)
#   infra/docker/images.sh minbase [--rebuild]
#   infra/docker/images.sh kafka   [--rebuild]   (builds the minbase first if it is missing)
#   infra/docker/images.sh names                 prints the image names, one a line
#
# No registry is reachable here, so nothing is pulled: the root file system comes from the Debian
# mirror through debootstrap, the jars from Maven Central through kafka-local's resolution. All of
# it lands in the git-ignored .cache/docker/ and the engine's data root, never in git.
# Uses the engine of DOCKER_HOST, else the project engine (infra/docker/engine.sh env).
set -euo pipefail

readonly ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly CACHE="$ROOT/.cache/docker"
readonly MINBASE=revocation-fabric/debian-minbase:bookworm
readonly KAFKA_REPO=revocation-fabric/apache-kafka-from-maven
# Packages both local images need on top of minbase: TLS roots for apt/npm and node's libstdc++.
readonly MINBASE_INCLUDE=ca-certificates,libstdc++6

say() { printf 'images: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

# The one Kafka pin is <kafka.version> in packages/kafka-local/pom.xml.
kafka_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/packages/kafka-local/pom.xml" | head -n 1
}
kafka_image() { printf '%s:%s\n' "$KAFKA_REPO" "$(kafka_version)"; }

if [[ -z ${DOCKER_HOST:-} ]]; then
  eval "$("$ROOT/infra/docker/engine.sh" env)"
  export DOCKER_HOST
fi

# Staging directories (the rootfs, the build context) are removed on any exit, even a failed one.
cleanup_dirs=()
cleanup() { if ((${#cleanup_dirs[@]})); then rm -rf "${cleanup_dirs[@]}"; fi; }
trap cleanup EXIT

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Runs "$@" and prints how long it took, for the build-time lines the docs quote.
timed() {
  local label=$1
  shift
  local t0=$SECONDS
  "$@"
  say "$label built in $((SECONDS - t0)) s"
}

build_minbase() {
  command -v debootstrap >/dev/null 2>&1 ||
    die "debootstrap is missing (apt-get install debootstrap)"
  [[ $(id -u) == 0 ]] || die "debootstrap needs root"
  local rootfs="$CACHE/minbase-rootfs"
  mkdir -p "$CACHE/debs"
  rm -rf "$rootfs"
  # The rootfs is only a staging directory: the imported image is the cache. The .debs are kept
  # (--cache-dir) so a --rebuild does not download them again.
  cleanup_dirs+=("$rootfs")
  say "debootstrap --variant=minbase bookworm (include $MINBASE_INCLUDE) into $rootfs"
  # No mirror argument: debootstrap's default Debian mirror, or DEBIAN_MIRROR if set.
  # shellcheck disable=SC2086
  debootstrap --variant=minbase --include="$MINBASE_INCLUDE" --cache-dir="$CACHE/debs" \
    bookworm "$rootfs" ${DEBIAN_MIRROR:-} >"$CACHE/debootstrap.log" 2>&1 ||
    die "debootstrap failed; see $CACHE/debootstrap.log"
  # Smaller image: apt lists and the package cache come back with `apt-get update` in a build.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar --numeric-owner -C "$rootfs" -c . |
    docker import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "$MINBASE" >/dev/null
  say "$MINBASE: $(docker image inspect --format '{{.Size}}' "$MINBASE" | awk '{printf "%.0f MB", $1/1e6}')"
}

# The build context gets the jars at build time only (.cache/docker/kafka-context, git-ignored).
build_kafka() {
  local version image context
  version=$(kafka_version)
  image=$(kafka_image)
  have_image "$MINBASE" || timed "$MINBASE" build_minbase
  # kafka-local's resolution (the same jars the jar broker runs), done through its CLI so the
  # cache and the resolved.json check are the same.
  say "resolving the Kafka $version jars (kafka-local)"
  (cd "$ROOT" && pnpm -s kafka setup >&2)
  local lib="$ROOT/.cache/kafka/$version/lib"
  [[ -d $lib ]] || die "no jars in $lib after kafka setup"
  # The broker's jars lack the admin tools (kafka-tools): resolve that one artifact at the same
  # version for the health probe kafka-broker-api-versions.sh and kafka-topics.sh.
  local tools="$CACHE/kafka-tools-$version"
  if [[ ! -f $tools/.done ]]; then
    say "resolving org.apache.kafka:kafka-tools:$version with Maven"
    rm -rf "$tools"
    mvn -q -B -f "$ROOT/infra/docker/kafka/tools-pom.xml" -Dkafka.version="$version" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tools" >&2
    touch "$tools/.done"
  fi
  context="$CACHE/kafka-context"
  cleanup_dirs+=("$context")
  rm -rf "$context"
  mkdir -p "$context/kafka/libs"
  cp "$ROOT/infra/docker/kafka/Dockerfile" "$context/"
  cp -r "$ROOT/infra/docker/kafka/bin" "$ROOT/infra/docker/kafka/docker" "$context/kafka/"
  cp "$lib"/*.jar "$context/kafka/libs/"
  # Jars of kafka-tools whose artifact the broker resolution already has are skipped, whatever
  # their version: the broker's pins win (one log4j-core, not two, on the class path).
  local jar artifact
  for jar in "$tools"/*.jar; do
    artifact=$(basename "$jar" | sed -E 's/-[0-9][^/]*\.jar$//')
    if ! compgen -G "$lib/$artifact-[0-9]*.jar" >/dev/null; then cp "$jar" "$context/kafka/libs/"; fi
  done
  say "building $image (FROM $MINBASE; apt over --network host)"
  DOCKER_BUILDKIT=0 docker build --network host --quiet \
    --build-arg "BASE_IMAGE=$MINBASE" --build-arg "KAFKA_VERSION=$version" \
    -t "$image" "$context" >/dev/null
  rm -rf "$context"
}

main() {
  local cmd=ensure rebuild=0
  for arg in "$@"; do
    case $arg in
      --rebuild) rebuild=1 ;;
      ensure | minbase | kafka | names) cmd=$arg ;;
      *)
        echo "usage: $0 [ensure|minbase|kafka|names] [--rebuild]" >&2
        exit 2
        ;;
    esac
  done
  case $cmd in
    names)
      echo "$MINBASE"
      kafka_image
      return 0
      ;;
  esac
  docker info >/dev/null 2>&1 || die "no Docker engine answers at ${DOCKER_HOST} (infra/docker/engine.sh start)"
  if [[ $cmd == minbase || $cmd == ensure ]]; then
    if [[ $rebuild == 1 ]] || ! have_image "$MINBASE"; then
      timed "$MINBASE" build_minbase
    else
      say "$MINBASE exists"
    fi
  fi
  if [[ $cmd == kafka || $cmd == ensure ]]; then
    timed "$(kafka_image)" build_kafka
  fi
}

main "$@"
