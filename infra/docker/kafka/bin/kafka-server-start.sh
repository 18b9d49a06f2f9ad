#!/usr/bin/env bash
# Starts the broker in the foreground with exec, so the JVM replaces this shell (PID 1 in the
# container) and receives SIGTERM itself. Defaults as in the distribution's script.
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 server.properties" >&2; exit 2; }
KAFKA_HOME=${KAFKA_HOME:-/opt/kafka}
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}
export KAFKA_LOG4J_OPTS=${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$KAFKA_HOME/config/log4j2.properties}
exec "$KAFKA_HOME/bin/kafka-run-class.sh" kafka.Kafka "$@"
