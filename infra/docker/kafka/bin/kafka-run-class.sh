#!/usr/bin/env bash
# Minimal stand-in for the distribution's kafka-run-class.sh (the Maven jars ship no scripts):
# runs a main class on /opt/kafka/libs with the same option variables the official scripts read.
#   KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_LOG4J_OPTS, KAFKA_OPTS
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 CLASS [ARGS...]" >&2; exit 2; }
KAFKA_HOME=${KAFKA_HOME:-/opt/kafka}
heap=${KAFKA_HEAP_OPTS:--Xmx256m}
perf=${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}
log4j=${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$KAFKA_HOME/config/tools-log4j2.properties}
# Word splitting of the option variables is intended: each holds several JVM flags.
# shellcheck disable=SC2086
exec java $heap $perf $log4j ${KAFKA_OPTS:-} -cp "$KAFKA_HOME/libs/*" "$@"
