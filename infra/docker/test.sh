#!/usr/bin/env bash
# `pnpm test:docker [--insist]`: the broker-facing integration tests through the testkit's
# Testcontainers path against a Docker engine.
#
# 1. an engine (infra/docker/engine.sh start; stopped at the end only if started here);
# 2. the local images (infra/docker/images.sh ensure) unless KAFKA_IMAGE names another image;
# 3. vitest's integration project on the broker-facing files, with KAFKA_BROKERS removed and
#    REQUIRE_KAFKA_SOURCE=testcontainers, so the run fails rather than fall back to the jar
#    broker; the globalSetup logs `[testkit] Apache Kafka <v> (testcontainers <image>) at ...`.
#
# Where no engine can run it prints one line and exits 0, or 1 with --insist / DOCKER_INSIST=1.
# Extra arguments other than --insist go to vitest (e.g. a file filter or -t).
# `test.sh --remove-leftovers` only removes testkit Kafka containers whose owner process is gone
# (for .ci/run's trap when this script itself was killed).
set -euo pipefail

readonly ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
readonly LABEL=dev.revocation-fabric.testkit
readonly OWNER_LABEL=dev.revocation-fabric.owner
# The broker-facing files (see infra/README.md, "The Docker path").
readonly FILES=(
  test/kafka-smoke.test.ts
  packages/verifier/src/verifier.int.test.ts
  packages/verifier/src/staleness.int.test.ts
  test/socket-revocation.test.ts
  packages/publisher/src/relay/relay-outage.int.test.ts
)

say() { printf '[test:docker +%ss] %s\n' "$SECONDS" "$*"; }

engine_args=()
vitest_args=()
leftovers_only=0
for arg in "$@"; do
  case $arg in
    --insist) engine_args+=(--insist) ;;
    --remove-leftovers) leftovers_only=1 ;;
    *) vitest_args+=("$arg") ;;
  esac
done


# Testkit Kafka containers whose owner process is gone: an interrupted earlier run's, or this
# run's after vitest has exited. Containers of live processes (another run) are left alone.
remove_leftovers() {
  local id owner pid
  while read -r id owner; do
    [[ -n $id ]] || continue
    pid=${owner##*:}
    if [[ ${owner%:*} == "$(hostname)" ]] && [[ $pid =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null; then
      docker rm -f -v "$id" >/dev/null && say "removed leftover Kafka container ${id:0:12}"
    fi
  done < <(docker ps -a --filter "label=$LABEL" --format "{{.ID}} {{.Label \"$OWNER_LABEL\"}}" 2>/dev/null)
}

if [[ $leftovers_only == 1 ]]; then
  if "$ROOT/infra/docker/engine.sh" status >/dev/null; then
    eval "$("$ROOT/infra/docker/engine.sh" env)"
    export DOCKER_HOST
    remove_leftovers
  fi
  exit 0
fi

# Without an engine the leg says so in one line: engine.sh's reason. With --insist engine.sh
# exits non-zero, and so does the leg.
engine_log=$(mktemp)
engine_status=0
state=$("$ROOT/infra/docker/engine.sh" start "${engine_args[@]}" 2>"$engine_log") || engine_status=$?
if [[ $engine_status != 0 || $state == none ]]; then
  say "skipped, $(grep -m1 'no Docker engine' "$engine_log" || tail -n 1 "$engine_log")"
  rm -f "$engine_log"
  exit "$engine_status"
fi
cat "$engine_log" >&2
rm -f "$engine_log"
eval "$("$ROOT/infra/docker/engine.sh" env)"
export DOCKER_HOST

cleanup() {
  local status=$?
  remove_leftovers || true
  if [[ $state == started ]]; then "$ROOT/infra/docker/engine.sh" stop || true; fi
  say "total $SECONDS s (exit $status)"
  exit "$status"
}
trap cleanup EXIT

remove_leftovers

local_kafka=$("$ROOT/infra/docker/images.sh" names | tail -n 1)
export KAFKA_IMAGE=${KAFKA_IMAGE:-$local_kafka}
if [[ $KAFKA_IMAGE == "$local_kafka" ]]; then
  t0=$SECONDS
  "$ROOT/infra/docker/images.sh" ensure
  say "images ready in $((SECONDS - t0)) s"
fi

unset KAFKA_BROKERS KAFKA_VERSION
export TESTCONTAINERS_RYUK_DISABLED=true
export REQUIRE_KAFKA_SOURCE=testcontainers
say "engine: Docker $(docker version --format 'server {{.Server.Version}} (API {{.Server.APIVersion}}), client {{.Client.Version}}') at $DOCKER_HOST"
say "image: $KAFKA_IMAGE ($(docker image inspect --format '{{.Id}}' "$KAFKA_IMAGE" 2>/dev/null | cut -c8-19 || echo 'not present locally'))"

t0=$SECONDS
mkdir -p .cache
report=.cache/vitest-docker-report.json
rm -f "$report"
vitest_status=0
pnpm exec vitest run --project integration --reporter=default --reporter=json \
  --outputFile.json="$report" "${FILES[@]}" "${vitest_args[@]}" || vitest_status=$?
say "vitest took $((SECONDS - t0)) s"
# The leg's own closing line; a leg that ran no test fails (it would prove nothing).
[[ -f $report ]] || { say "vitest wrote no report"; exit 1; }
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`docker: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numPassedTests === 0) process.exit(1);
' "$report"
exit "$vitest_status"
