#!/usr/bin/env bash
# The image's health probe: exits 0 once the broker answers an ApiVersions request, e.g.
#   kafka-broker-api-versions.sh --bootstrap-server localhost:9092
set -euo pipefail
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
