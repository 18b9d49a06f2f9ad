#!/usr/bin/env bash
# The project's Docker engine: use one that already answers, otherwise start dockerd on a socket
# of its own, and stop only what this script started.
#
#   infra/docker/engine.sh start [--insist]   ensure an engine answers; stdout: one word
#                                             (external|running|started|none), details on stderr
#   infra/docker/engine.sh stop               stop dockerd if (and only if) this script started it
#   infra/docker/engine.sh status             one line; exit 0 when an engine answers, else 1
#   infra/docker/engine.sh env                `export DOCKER_HOST=...` for the engine in use
#
# Why a socket of its own (not /var/run/docker.sock): a plain `pnpm test` must keep choosing the
# jar broker, so only commands that export DOCKER_HOST see this engine. Why vfs and no iptables:
# these machines have no overlayfs-capable storage for nested containers and no NAT; `-p
# 127.0.0.1:HOST:CONTAINER` still works through the userland proxy.
#
# Where no engine can run (not root, no dockerd and no apt, dockerd dies at start) `start` says
# why in one line and exits 0, or 1 with --insist / DOCKER_INSIST=1.
set -euo pipefail

# Fixed for the machine: every checkout shares this one engine. (A second dockerd beside it is
# no way to test this script: stopping one removed the shared docker0 bridge of the other.)
readonly RUN_DIR=/run/revocation-fabric
readonly SOCK="$RUN_DIR/docker.sock"
readonly PROJECT_HOST="unix://$SOCK"
readonly DATA_ROOT=/var/lib/revocation-fabric/docker
readonly EXEC_ROOT="$RUN_DIR/docker-exec"
readonly PIDFILE="$RUN_DIR/docker.pid"
# Written by `start` when it launched dockerd: the pid. `stop` acts only when it matches.
readonly STARTED_MARK="$RUN_DIR/docker.started-by-engine-sh"
readonly LOG=/var/log/revocation-fabric-dockerd.log
readonly START_TIMEOUT_S=${DOCKER_START_TIMEOUT_S:-60}

say() { printf 'engine: %s\n' "$*" >&2; }

insist=${DOCKER_INSIST:-0}
[[ $insist == 1 || $insist == true ]] && insist=1 || insist=0

answers() { # $1 = DOCKER_HOST value
  DOCKER_HOST=$1 timeout 10 docker info --format '{{.ServerVersion}}' >/dev/null 2>&1
}

# The engine in use: DOCKER_HOST if it answers, else the project socket if it answers.
current_host() {
  if [[ -n ${DOCKER_HOST:-} ]] && answers "$DOCKER_HOST"; then
    printf '%s\n' "$DOCKER_HOST"
  elif [[ -S $SOCK ]] && answers "$PROJECT_HOST"; then
    printf '%s\n' "$PROJECT_HOST"
  else
    return 1
  fi
}

# "No engine" outcome: one line, exit 0 unless insisting.
unavailable() {
  say "no Docker engine: $*"
  echo none
  if [[ $insist == 1 ]]; then exit 1; fi
  exit 0
}

our_dockerd_pid() { # prints the pid of the dockerd on our data root, if alive
  [[ -f $PIDFILE ]] || return 1
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # Only a live dockerd whose command line names our data root: never a reused pid.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--data-root $DATA_ROOT" || return 1
  printf '%s\n' "$pid"
}

cmd_start() {
  if [[ -n ${DOCKER_HOST:-} ]] && answers "$DOCKER_HOST"; then
    say "using the engine at DOCKER_HOST=$DOCKER_HOST (not started here, never stopped here)"
    echo external
    return 0
  fi
  if [[ -n ${DOCKER_HOST:-} && $DOCKER_HOST != "$PROJECT_HOST" ]]; then
    say "DOCKER_HOST=$DOCKER_HOST does not answer; trying the project engine"
  fi
  if [[ -S $SOCK ]] && answers "$PROJECT_HOST"; then
    say "the project engine already answers at $PROJECT_HOST"
    echo running
    return 0
  fi
  if [[ $(id -u) != 0 ]]; then
    unavailable "none answers and starting dockerd needs root (set DOCKER_HOST to an engine)"
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
      say "dockerd missing: installing docker.io with apt-get"
      if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io >/dev/null 2>&1; }; }; then
        unavailable "dockerd is missing and apt-get install docker.io failed"
      fi
    else
      unavailable "dockerd is missing and there is no apt-get to install docker.io"
    fi
  fi
  command -v docker >/dev/null 2>&1 || unavailable "the docker client is missing"

  # A dockerd of ours that is alive but does not answer (yet): wait for it rather than start
  # a second one on the same data root.
  local pid
  if pid=$(our_dockerd_pid); then
    say "dockerd $pid on $DATA_ROOT is alive but not answering yet; waiting"
  else
    mkdir -p "$RUN_DIR" "$DATA_ROOT" "$EXEC_ROOT"
    rm -f "$PIDFILE" "$STARTED_MARK" "$SOCK"
    say "starting dockerd on $PROJECT_HOST (data root $DATA_ROOT, log $LOG)"
    # setsid: its own session, so an interrupted caller's process group signal does not kill
    # the engine that other users of this machine share; `stop` ends it explicitly.
    setsid dockerd \
      --host "$PROJECT_HOST" \
      --data-root "$DATA_ROOT" \
      --exec-root "$EXEC_ROOT" \
      --pidfile "$PIDFILE" \
      --storage-driver vfs \
      --iptables=false --ip6tables=false \
      >>"$LOG" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$STARTED_MARK"
  fi

  local deadline=$((SECONDS + START_TIMEOUT_S))
  until answers "$PROJECT_HOST"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$STARTED_MARK"
      unavailable "dockerd exited at start-up: $(tail -n 1 "$LOG" 2>/dev/null | cut -c1-200)"
    fi
    if ((SECONDS >= deadline)); then
      kill -TERM "$pid" 2>/dev/null || true
      rm -f "$STARTED_MARK"
      unavailable "dockerd did not answer within ${START_TIMEOUT_S}s (see $LOG)"
    fi
    sleep 0.5
  done
  say "dockerd $(DOCKER_HOST=$PROJECT_HOST docker version --format '{{.Server.Version}}') answers (pid $pid)"
  echo started
}

cmd_stop() {
  local pid
  if ! pid=$(our_dockerd_pid) || [[ ! -f $STARTED_MARK ]] || [[ $(cat "$STARTED_MARK") != "$pid" ]]; then
    say "nothing to stop: no dockerd started by this script is running"
    return 0
  fi
  say "stopping dockerd $pid"
  kill -TERM "$pid"
  # dockerd stops its containers (10 s grace each, in parallel) before it exits.
  local deadline=$((SECONDS + 45))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      say "dockerd $pid still alive after 45 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5
  done
  rm -f "$STARTED_MARK"
  say "dockerd stopped"
}

cmd_status() {
  local host
  if host=$(current_host); then
    local version
    version=$(DOCKER_HOST=$host docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')
    local who=external
    if [[ $host == "$PROJECT_HOST" ]]; then
      who="project engine"
      if pid=$(our_dockerd_pid) && [[ -f $STARTED_MARK ]]; then who+=", dockerd $pid started by engine.sh"; fi
    fi
    echo "engine: Docker $version answers at $host ($who)"
  else
    echo "engine: none answers (DOCKER_HOST=${DOCKER_HOST:-unset}, project socket $PROJECT_HOST)"
    return 1
  fi
}

cmd_env() {
  local host
  host=$(current_host) || host=$PROJECT_HOST
  printf 'export DOCKER_HOST=%s\n' "$host"
}

main() {
  local cmd=${1:-}
  shift || true
  for arg in "$@"; do
    case $arg in
      --insist) insist=1 ;;
      *) say "unknown option: $arg" && exit 2 ;;
    esac
  done
  case $cmd in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    *)
      echo "usage: $0 start [--insist] | stop | status | env" >&2
      exit 2
      ;;
  esac
}

main "$@"
