#!/usr/bin/env bash
# The compose stack end to end: ensure a Docker engine and the images, `docker-compose up` the
# stack of infra/compose.yaml, wait until every container is healthy, run `pnpm demo` against
# it (it reuses the services on 3000/4001/4002 and Kafka at KAFKA_BROKERS), and take the stack
# down again on any exit, failed or not.
#
#   infra/docker/compose-demo.sh              one Kafka node
#   infra/docker/compose-demo.sh --cluster3   three Kafka nodes (compose.cluster3.yaml)
#   infra/docker/compose-demo.sh --secure     SASL/SCRAM + ACLs (compose.secure.yaml), fresh passwords
#
# Images: KAFKA_IMAGE (default: the local revocation-fabric/apache-kafka-from-maven, built by
# infra/docker/images.sh when missing), the service images by infra/docker/service-images.sh.
# Exit status: the demo's (0 = every expectation met); 1 when the stack does not come up.
set -euo pipefail

readonly ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly ENGINE_SH=${ENGINE_SH:-$ROOT/infra/docker/engine.sh}
readonly IMAGES_SH=${IMAGES_SH:-$ROOT/infra/docker/images.sh}
readonly PROJECT=revocation-fabric-demo
readonly HEALTHY_TIMEOUT_S=${COMPOSE_HEALTHY_TIMEOUT_S:-300}

started=$SECONDS
say() { printf '[compose-demo +%ss] %s\n' "$((SECONDS - started))" "$*" >&2; }

files=(-f "$ROOT/infra/compose.yaml")
brokers=127.0.0.1:9092
secure=0
for arg in "$@"; do
  case $arg in
    --cluster3)
      files+=(-f "$ROOT/infra/compose.cluster3.yaml")
      brokers=127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096
      ;;
    --secure)
      files+=(-f "$ROOT/infra/compose.secure.yaml")
      secure=1
      ;;
    *)
      echo "usage: $0 [--cluster3 | --secure]" >&2
      exit 2
      ;;
  esac
done
if [[ ${#files[@]} -gt 4 ]]; then
  echo "$0: --cluster3 and --secure do not go together" >&2
  exit 2
fi

engine=$("$ENGINE_SH" start --insist)
eval "$("$ENGINE_SH" env)"
export DOCKER_HOST
say "Docker $(docker version --format '{{.Server.Version}}') at $DOCKER_HOST ($engine)"

compose() { docker-compose -p "$PROJECT" "${files[@]}" "$@"; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ $status != 0 ]]; then
    say "failed (exit $status): last log lines of the stack"
    compose logs --no-color --tail 30 2>&1 | tail -n 150 >&2 || true
  fi
  say "docker-compose down"
  compose down -v --remove-orphans >/dev/null 2>&1 || say "docker-compose down failed"
  # Only an engine this script started is stopped; a shared one keeps running.
  if [[ $engine == started && ${KEEP_ENGINE:-0} != 1 ]]; then "$ENGINE_SH" stop || true; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z ${KAFKA_IMAGE:-} ]]; then
  "$IMAGES_SH" ensure
  KAFKA_IMAGE=$("$IMAGES_SH" names | grep -m1 'apache-kafka-from-maven')
fi
export KAFKA_IMAGE
"$ROOT/infra/docker/service-images.sh" ensure
# NODE_VERSION: set by the official node images and by the local node-from-registry alike.
service_node=$(docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' \
  revocation-fabric/user-service:local | sed -n 's/^NODE_VERSION=//p')
say "images ready: $KAFKA_IMAGE, revocation-fabric/{user-service,game-service,revocation-gateway}:local (Node ${service_node:-?})"

if [[ $secure == 1 ]]; then
  # Fresh passwords per run, never written to disk; the demo connects as admin (it only looks
  # for the topic), the services as their own principals.
  for name in ADMIN USER_SERVICE GATEWAY VERIFIER; do
    export "KAFKA_${name}_PASSWORD=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))')"
  done
fi

# Left over from an interrupted run: nothing of ours may hold the ports.
compose down -v --remove-orphans >/dev/null 2>&1 || true
up_started=$SECONDS
say "docker-compose up -d (${files[*]})"
compose up -d --no-color 2>&1 | sed 's/^/  /' >&2

# Every container healthy (a one-shot job: exited 0). docker-compose 1.x has no --wait.
deadline=$((SECONDS + HEALTHY_TIMEOUT_S))
while :; do
  pending=()
  for id in $(compose ps -q); do
    state=$(docker inspect --format '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' "$id")
    read -r name status health code <<<"$state"
    if [[ $status == exited && $health == none && $code == 0 ]]; then continue; fi
    if [[ $status == exited ]]; then
      say "${name#/} exited with code $code"
      exit 1
    fi
    [[ $health == healthy ]] || pending+=("${name#/}:$health")
  done
  [[ ${#pending[@]} == 0 ]] && break
  if ((SECONDS >= deadline)); then
    say "not healthy after ${HEALTHY_TIMEOUT_S} s: ${pending[*]}"
    exit 1
  fi
  sleep 2
done
say "all containers healthy $((SECONDS - up_started)) s after docker-compose up"
compose ps >&2

cd "$ROOT"
# The version for the demo's broker line (the pin in packages/kafka-local/pom.xml).
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' packages/kafka-local/pom.xml | head -n 1)
# The service URLs too: the demo then fails at once if one does not answer, instead of
# starting a process of its own on a free fixed port.
demo_env=(KAFKA_BROKERS="$brokers" KAFKA_VERSION="$kafka_version"
  USER_SERVICE_URL=http://127.0.0.1:3000 GAME_SERVICE_URLS=http://127.0.0.1:4001,http://127.0.0.1:4002)
if [[ $secure == 1 ]]; then
  demo_env+=(KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_SASL_USERNAME=admin KAFKA_SASL_PASSWORD="$KAFKA_ADMIN_PASSWORD")
fi
say "pnpm demo (${demo_env[0]})"
set +e
env "${demo_env[@]}" pnpm -s demo
status=$?
set -e
say "demo exited with $status"

# The graceful stop through Docker: SIGTERM to node as PID 1, 20 s grace; report each exit code.
compose stop -t 20 >/dev/null 2>&1 || true
for id in $(compose ps -q); do
  docker inspect --format '{{.Name}} exited with {{.State.ExitCode}}' "$id" | sed 's:^/::' >&2
done
exit "$status"
