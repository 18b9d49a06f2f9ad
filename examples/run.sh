#!/usr/bin/env bash
# Installs the packed packages into the adopter apps of examples/ with plain npm, outside the
# workspace, and proves each app against a real Kafka broker and the real user-service, on every
# Node line adopters run. The one command CI calls:
#
#   bash examples/run.sh [--node 22,24,26] [--only a,b] [--measure-idle] [--keep]
#
# After the apps of each Node line, the operator CLI (examples/operator-cli) is installed from its
# tarball and run against the topic they used (status --json, check).
#
#   --node          Node lines (or exact versions) to run on; default 22,24,26. Each comes from
#                   infra/node/ensure.sh (the npm registry's node-linux-* package, cached).
#   --only          apps by letter or name: a express-socketio, b commonjs, c fastify,
#                   d own-issuer; default all four.
#   --measure-idle  after express-socketio's scenario, a 30 s warm-up, then its CPU over 30 s idle
#                   (utime+stime from /proc) as ms per second; written to
#                   .cache/examples/installed-idle.json. A measurement, never a gate.
#   --keep          keep the temporary directory (installed apps, logs) for inspection.
#
# Environment: KAFKA_BROKERS (use that broker, unsecured, instead of starting a local one),
# POSTGRES_URL (where own-issuer gets a database of its own; default
# postgres://postgres@127.0.0.1:5432/postgres, and psql must be on PATH).
#
# Prints one line per (node, app) and ends with `examples: N passed, N failed`; exits non-zero
# on any failure. Everything it starts is stopped on exit, failure or not.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

declare -A APP_BY_LETTER=([a]=express-socketio [b]=commonjs [c]=fastify [d]=own-issuer)
ALL_APPS=(express-socketio commonjs fastify own-issuer)
IDLE_SECONDS=30
# V8 tiers up and collects start-up garbage for 20-30 s after a start (bench B7's notes), and the
# scenario just ran: the window opens after this warm-up.
IDLE_WARMUP_SECONDS=30

node_lines=22,24,26
only=
measure_idle=no
keep=no
usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --node) node_lines=${2:?--node needs a value}; shift 2 ;;
    --node=*) node_lines=${1#*=}; shift ;;
    --only) only=${2:?--only needs a value}; shift 2 ;;
    --only=*) only=${1#*=}; shift ;;
    --measure-idle) measure_idle=yes; shift ;;
    --keep) keep=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "examples/run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

apps=()
if [ -z "$only" ]; then
  apps=("${ALL_APPS[@]}")
else
  IFS=, read -r -a picked <<<"$only"
  for pick in "${picked[@]}"; do
    name=${APP_BY_LETTER[$pick]:-$pick}
    [ -d "examples/$name" ] || { echo "examples/run.sh: no app '$pick' (a-d or a name)" >&2; exit 2; }
    apps+=("$name")
  done
fi
IFS=, read -r -a lines <<<"$node_lines"

started=$EPOCHREALTIME
elapsed() { awk -v now="$EPOCHREALTIME" -v since="${1:-$started}" 'BEGIN { printf "%.1f", now - since }'; }
log() { printf '[examples +%ss] %s\n' "$(elapsed)" "$*"; }

# The workspace's Node (builds, the user-service, the scenario driver) and pnpm.
. infra/node/env.sh 2>/dev/null
workspace_node=$(command -v node)
if ! "$workspace_node" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)'; then
  echo "examples/run.sh: the workspace needs Node >= 22.12 (infra/node/env.sh), found $("$workspace_node" --version)" >&2
  exit 2
fi

cache=$root/.cache/examples
packs=$cache/packs
logs=$cache/logs
mkdir -p "$cache"
rm -rf "$packs" "$logs"
mkdir -p "$packs" "$logs"
# Outside the repository: from inside it, Node's resolution would walk up into the
# workspace's node_modules and hide a dependency missing from an app's package.json.
work=$(mktemp -d "${TMPDIR:-/tmp}/revocation-fabric-examples.XXXXXX")
case "$work/" in "$root"/*) echo "examples/run.sh: TMPDIR is inside the repository" >&2; exit 2 ;; esac
ancestor=$(dirname "$work")
while :; do
  if [ -e "$ancestor/node_modules" ]; then
    echo "examples/run.sh: $ancestor/node_modules would be visible to the apps; set TMPDIR elsewhere" >&2
    rmdir "$work"
    exit 2
  fi
  [ "$ancestor" = / ] && break
  ancestor=$(dirname "$ancestor")
done

kafka_cluster=
user_service_pid=
app_pid=
databases=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$app_pid" ]; then stop_process "$app_pid" || true; fi
  if [ -n "$user_service_pid" ]; then stop_process "$user_service_pid" || true; fi
  if [ -n "$kafka_cluster" ]; then
    node packages/kafka-local/dist/cli.js stop --name "$kafka_cluster" >>"$logs/kafka.log" 2>&1 || true
    rm -rf ".kafka/$kafka_cluster"
  fi
  for database in "${databases[@]}"; do
    psql "$postgres_url" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  if [ "$keep" = yes ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# SIGTERM, then SIGKILL after 10 s. Returns the process's exit status when it was our child.
stop_process() {
  local pid=$1 waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 100 ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$pid" 2>/dev/null
}

# Runs a step with its output in a log file; on failure shows the log's tail.
step() {
  local name=$1 logfile=$2
  shift 2
  if ! "$@" >"$logfile" 2>&1; then
    log "FAILED: $name (log: $logfile)"
    tail -n 40 "$logfile" | sed 's/^/    /'
    return 1
  fi
}

# What the run needs, built the way `pnpm build` builds everything (tsc -b, project references):
# the six packages that are packed, the user-service and kafka-local. Scoped, so a package or a
# bench unrelated to adopters cannot fail this leg (the test leg builds everything).
packed=(protocol kafka-connection kafkajs-idle-fix verifier publisher operator)
build_projects=("${packed[@]/#/packages/}" packages/kafka-local services/user-service)
log "building ${build_projects[*]} (tsc -b)"
step "tsc -b" "$logs/build.log" pnpm exec tsc -b "${build_projects[@]}"
log "packing ${packed[*]} into ${packs#"$root"/}"
for package in "${packed[@]}"; do
  step "pack $package" "$logs/pack-$package.log" pnpm --filter "./packages/$package" pack --pack-destination "$packs"
done

if [ -n "${KAFKA_BROKERS:-}" ]; then
  brokers=$KAFKA_BROKERS
  log "Kafka: KAFKA_BROKERS=$brokers"
else
  for attempt in 1 2 3; do
    port=$(node examples/tools/free-port.mjs --pair)
    kafka_cluster=examples-$port
    log "starting a local Kafka broker on 127.0.0.1:$port (kafka-local, cluster $kafka_cluster)"
    if brokers=$(node packages/kafka-local/dist/cli.js start --port "$port" --name "$kafka_cluster" --fresh 2>>"$logs/kafka.log"); then
      break
    fi
    node packages/kafka-local/dist/cli.js stop --name "$kafka_cluster" >>"$logs/kafka.log" 2>&1 || true
    rm -rf ".kafka/$kafka_cluster"
    kafka_cluster=
    [ "$attempt" -lt 3 ] || { log "FAILED: Kafka did not start (log: $logs/kafka.log)"; tail -n 30 "$logs/kafka.log"; exit 1; }
  done
fi
topic=examples.revocations.$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')

user_port=$(node examples/tools/free-port.mjs)
issuer=http://127.0.0.1:$user_port
log "starting the user-service at $issuer (SQLite, topic $topic)"
env -i PATH="$PATH" HOME="$HOME" NODE_ENV=development \
  HOST=127.0.0.1 PORT="$user_port" ISSUER="$issuer" \
  SQLITE_PATH="$work/user-service.sqlite" \
  KAFKA_BROKERS="$brokers" REVOCATION_TOPIC="$topic" REVOCATION_TOPIC_PARTITIONS=3 \
  OUTBOX_POLL_INTERVAL_MS=200 LOG_LEVEL=info \
  "$workspace_node" services/user-service/dist/main.js >"$logs/user-service.log" 2>&1 &
user_service_pid=$!
# Ready once the database is migrated and its relay has reached Kafka (and created the topic).
if ! node examples/tools/wait-ready.mjs "$issuer/readyz" --field kafka=ok --pid "$user_service_pid" --timeout-ms 90000; then
  log "FAILED: the user-service did not become ready (log: $logs/user-service.log)"
  tail -n 30 "$logs/user-service.log"
  exit 1
fi

log "installing the scenario driver (socket.io-client) with npm"
cp -r examples/scenario "$work/scenario"
step "npm install (scenario)" "$logs/scenario-npm.log" \
  npm install --prefix "$work/scenario" --no-audit --no-fund

postgres_url=${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
run_id=$(basename "$work" | tr -cd 'a-zA-Z0-9' | tr 'A-Z' 'a-z')

passed=0
failed=0
declare -A idle_ms_per_s=()

# The app's settings: the same names in every app's README.
app_env() {
  local app=$1 port=$2 database_url=${3:-}
  printf '%s\n' "PATH=$PATH" "HOME=$HOME" NODE_ENV=production HOST=127.0.0.1 "PORT=$port" \
    "KAFKA_BROKERS=$brokers" "REVOCATION_TOPIC=$topic" LOG_LEVEL=info
  if [ "$app" = own-issuer ]; then
    printf '%s\n' "ISSUER=http://127.0.0.1:$port" "DATABASE_URL=$database_url"
  else
    printf '%s\n' "ISSUER=$issuer" "JWKS_URL=$issuer/.well-known/jwks.json"
  fi
}

# Checks npm's output: EBADENGINE anywhere, or a peer-dependency warning naming our packages,
# fails; other warnings are printed as notes.
check_npm_output() {
  local npm_log=$1 warnings
  warnings=$(grep -iE '^npm (warn|WARN)' "$npm_log" || true)
  [ -z "$warnings" ] && return 0
  if grep -q EBADENGINE <<<"$warnings"; then
    echo "npm printed EBADENGINE:"; grep -A3 EBADENGINE <<<"$warnings"
    return 1
  fi
  if grep -qiE 'peer|ERESOLVE' <<<"$warnings" && grep -q '@revocation-fabric' <<<"$warnings"; then
    echo "npm printed a peer-dependency warning about our packages:"; echo "$warnings"
    return 1
  fi
  echo "note: npm warned (not about our packages):"
  echo "$warnings" | sed 's/^/  /'
}

# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat; the
# command name in field 2 may contain spaces, so count from the closing parenthesis).
cpu_ticks() {
  local stat
  stat=$(<"/proc/$1/stat")
  stat=${stat##*) }
  awk '{ print $12 + $13 }' <<<"$stat"
}

# One app on one Node line: install, typecheck, build, start, scenario, stop. Prints the
# outcome line; returns non-zero on failure.
run_app() {
  local line=$1 node_dir=$2 version=$3 app=$4
  local dir=$work/node-$version/$app t0 t timings=() outcome notes=()
  local app_logs=$logs/node-$version-$app
  mkdir -p "$app_logs" "$(dirname "$dir")"
  t0=$EPOCHREALTIME
  # (set -e does not reach into a function called as a condition: every step checks itself.)
  cp -r "examples/$app" "$dir" || return 1
  rm -rf "$dir/node_modules" "$dir/dist" "$dir/package-lock.json"
  node examples/tools/use-tarballs.mjs "$dir" "$packs" >/dev/null || return 1

  local -a line_env=(env "PATH=$node_dir/bin:$PATH" "npm_config_nodedir=$node_dir")
  t=$EPOCHREALTIME
  if ! (cd "$dir" && "${line_env[@]}" npm install --no-audit --no-fund) >"$app_logs/npm-install.log" 2>&1; then
    echo "npm install failed:"; tail -n 30 "$app_logs/npm-install.log"
    return 1
  fi
  check_npm_output "$app_logs/npm-install.log" || return 1
  timings+=("install=$(elapsed "$t")s")

  t=$EPOCHREALTIME
  if ! (cd "$dir" && "${line_env[@]}" npx --no-install tsc --noEmit -p tsconfig.json) >"$app_logs/typecheck.log" 2>&1; then
    echo "typecheck failed:"; tail -n 40 "$app_logs/typecheck.log"
    return 1
  fi
  timings+=("typecheck=$(elapsed "$t")s")
  t=$EPOCHREALTIME
  if ! (cd "$dir" && "${line_env[@]}" npm run --silent build) >"$app_logs/build.log" 2>&1; then
    echo "build failed:"; tail -n 40 "$app_logs/build.log"
    return 1
  fi
  timings+=("build=$(elapsed "$t")s")

  local database_url=
  if [ "$app" = own-issuer ]; then
    local database="rf_examples_${run_id}_${version//./_}"
    psql "$postgres_url" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$database\"" >/dev/null || return 1
    databases+=("$database")
    database_url="${postgres_url%/*}/$database"
  fi

  local port url
  port=$(node examples/tools/free-port.mjs)
  url=http://127.0.0.1:$port
  t=$EPOCHREALTIME
  local -a env_lines
  mapfile -t env_lines < <(app_env "$app" "$port" "$database_url")
  (cd "$dir" && exec env -i "${env_lines[@]}" "$node_dir/bin/node" dist/main.js) \
    >"$app_logs/app.stdout" 2>"$app_logs/app.stderr" &
  app_pid=$!
  if ! node examples/tools/wait-ready.mjs "$url/readyz" --pid "$app_pid" --timeout-ms 60000; then
    echo "the app did not become ready; its stderr and stdout:"
    tail -n 20 "$app_logs/app.stderr" "$app_logs/app.stdout"
    return 1
  fi
  timings+=("ready=$(elapsed "$t")s")

  # What each app adds to the common scenario (examples/scenario/logout-revokes.mjs).
  local issuer_url=$issuer scenario_flags=()
  case "$app" in
    express-socketio) scenario_flags=(--socket) ;;
    commonjs | fastify) scenario_flags=(--forbidden /admin/stats) ;;
    own-issuer) issuer_url=$url ;;
  esac
  local result
  if ! result=$("$workspace_node" "$work/scenario/logout-revokes.mjs" --app "$url" --issuer "$issuer_url" "${scenario_flags[@]}" 2>"$app_logs/scenario.stderr"); then
    echo "scenario failed: $(cat "$app_logs/scenario.stderr")"
    return 1
  fi
  timings+=("scenario: $(node -e 'const r = JSON.parse(process.argv[1]); delete r.ok; console.log(Object.entries(r).map(([k, v]) => `${k}=${v}`).join(" "))' "$result")")

  if [ "$measure_idle" = yes ] && [ "$app" = express-socketio ]; then
    local ticks_per_s before after ms_per_s
    ticks_per_s=$(getconf CLK_TCK)
    sleep "$IDLE_WARMUP_SECONDS"
    before=$(cpu_ticks "$app_pid")
    t=$EPOCHREALTIME
    sleep "$IDLE_SECONDS"
    after=$(cpu_ticks "$app_pid")
    ms_per_s=$(awk -v ticks="$((after - before))" -v hz="$ticks_per_s" -v now="$EPOCHREALTIME" -v since="$t" \
      'BEGIN { printf "%.2f", ticks * 1000 / hz / (now - since) }')
    # The machine's load says how to read the figure: each wake-up costs more on a busy box.
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    idle_ms_per_s[$version]="$ms_per_s $load"
    echo "idle-cpu node=$version app=express-socketio ms_per_s=$ms_per_s loadavg_1m=$load"
  fi

  local exit_status=0
  stop_process "$app_pid" || exit_status=$?
  app_pid=
  if [ "$exit_status" -ne 0 ]; then
    echo "the app exited with status $exit_status on SIGTERM:"; tail -n 10 "$app_logs/app.stderr"
    return 1
  fi
  if grep -q 'Warning:' "$app_logs/app.stderr"; then
    echo "the app printed Node warnings:"; grep 'Warning:' "$app_logs/app.stderr" | sort | uniq -c
    return 1
  fi
  if [ -s "$app_logs/app.stderr" ]; then notes+=("stderr not empty: $(head -c 300 "$app_logs/app.stderr")"); fi
  local warn_logs
  warn_logs=$(grep -cE '"level":(40|50|60)' "$app_logs/app.stdout" || true)
  if [ "$warn_logs" -gt 0 ]; then notes+=("$warn_logs warn/error log lines, first: $(grep -m1 -E '"level":(40|50|60)' "$app_logs/app.stdout" | head -c 300)"); fi
  echo "PASS total=$(elapsed "$t0")s ${timings[*]}"
  for note in "${notes[@]}"; do echo "note: $note"; done
}

# The operator's CLI on one Node line, installed from its tarball with plain npm (not an app: no
# server): `revocation-fabric status --json` must read the topic the apps used and list what it
# states; `check` must judge it (exit 0, or 3 when it finds a problem, never 1 or 2).
run_operator_cli() {
  local node_dir=$1 version=$2
  local dir=$work/node-$version/operator-cli t0=$EPOCHREALTIME status_json check_status=0
  local cli_logs=$logs/node-$version-operator-cli
  mkdir -p "$cli_logs" "$(dirname "$dir")"
  cp -r examples/operator-cli "$dir" || return 1
  node examples/tools/use-tarballs.mjs "$dir" "$packs" >/dev/null || return 1
  local -a line_env=(env "PATH=$node_dir/bin:$PATH" "npm_config_nodedir=$node_dir")
  if ! (cd "$dir" && "${line_env[@]}" npm install --no-audit --no-fund) >"$cli_logs/npm-install.log" 2>&1; then
    echo "npm install failed:"; tail -n 30 "$cli_logs/npm-install.log"
    return 1
  fi
  check_npm_output "$cli_logs/npm-install.log" || return 1
  if ! status_json=$(cd "$dir" && "${line_env[@]}" npx --no-install revocation-fabric status --json \
    --brokers "$brokers" --topic "$topic" 2>"$cli_logs/status.stderr"); then
    echo "revocation-fabric status failed: $(cat "$cli_logs/status.stderr")"
    return 1
  fi
  if ! node -e '
    const s = JSON.parse(process.argv[1]);
    const rules = JSON.stringify(s.rules ?? s);
    if (!rules.includes("session")) throw new Error("no session rule in: " + rules.slice(0, 300));
  ' "$status_json" 2>"$cli_logs/status-check.stderr"; then
    echo "revocation-fabric status --json: $(cat "$cli_logs/status-check.stderr")"
    return 1
  fi
  (cd "$dir" && "${line_env[@]}" npx --no-install revocation-fabric check --brokers "$brokers" \
    --topic "$topic") >"$cli_logs/check.out" 2>&1 || check_status=$?
  if [ "$check_status" -ne 0 ] && [ "$check_status" -ne 3 ]; then
    echo "revocation-fabric check exited $check_status:"; tail -n 20 "$cli_logs/check.out"
    return 1
  fi
  echo "PASS total=$(elapsed "$t0")s status=ok check=exit-$check_status"
}

for line in "${lines[@]}"; do
  node_dir=$(bash infra/node/ensure.sh "$line")
  version=$("$node_dir/bin/node" --version)
  version=${version#v}
  for app in "${apps[@]}"; do
    log "node $version: $app"
    out=$work/run-$version-$app.out
    if run_app "$line" "$node_dir" "$version" "$app" >"$out" 2>&1; then
      passed=$((passed + 1))
      grep -v '^PASS' "$out" | sed '/^idle-cpu /!s/^/  /' || true
      echo "node=$version app=$app $(grep '^PASS' "$out")"
    else
      failed=$((failed + 1))
      if [ -n "$app_pid" ]; then stop_process "$app_pid" || true; app_pid=; fi
      sed '/^idle-cpu /!s/^/  /' "$out"
      echo "node=$version app=$app FAIL (logs: ${logs#"$root"/}/node-$version-$app/)"
    fi
  done
  log "node $version: operator-cli"
  out=$work/run-$version-operator-cli.out
  if run_operator_cli "$node_dir" "$version" >"$out" 2>&1; then
    passed=$((passed + 1))
    echo "node=$version app=operator-cli $(grep '^PASS' "$out")"
  else
    failed=$((failed + 1))
    sed 's/^/  /' "$out"
    echo "node=$version app=operator-cli FAIL (logs: ${logs#"$root"/}/node-$version-operator-cli/)"
  fi
done

if [ "$measure_idle" = yes ] && [ "${#idle_ms_per_s[@]}" -gt 0 ]; then
  json=$(for version in "${!idle_ms_per_s[@]}"; do echo "$version ${idle_ms_per_s[$version]}"; done |
    node -e '
      const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").sort();
      const nodes = Object.fromEntries(lines.map((l) => l.split(" "))
        .map(([v, x, load]) => [v, { ms_per_s: Number(x), loadavg_1m: Number(load) }]));
      const [commit, idleSeconds] = process.argv.slice(1);
      console.log(JSON.stringify({ app: "express-socketio", unit: "ms_cpu_per_s", idleSeconds: Number(idleSeconds),
        commit, measuredAt: new Date().toISOString(), nodes }, null, 2));
    ' "$(git rev-parse --short HEAD)" "$IDLE_SECONDS")
  echo "$json" >"$cache/installed-idle.json"
  log "idle figures written to ${cache#"$root"/}/installed-idle.json"
fi

log "done in $(elapsed)s"
echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
