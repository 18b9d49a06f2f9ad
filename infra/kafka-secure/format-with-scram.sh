#!/usr/bin/env bash
# Entry point of the secured Kafka node (compose.secure.yaml): formats the storage with every
# principal's SCRAM-SHA-512 credential in the bootstrap metadata, then hands over to the image's
# own entry point, which finds the storage formatted and keeps it. The same route as
# kafka-local's secured mode (StorageTool format --add-scram): brokers and clients can
# authenticate from the first start, with no window in which the broker runs without users.
# Works with apache/kafka and revocation-fabric/apache-kafka-from-maven (both format with the
# same CLUSTER_ID and log.dirs taken from KAFKA_* below, and skip formatted storage).
set -euo pipefail
: "${CLUSTER_ID:?}" "${SCRAM_ADMIN_PASSWORD:?}" "${SCRAM_USER_SERVICE_PASSWORD:?}" \
  "${SCRAM_GATEWAY_PASSWORD:?}" "${SCRAM_VERIFIER_PASSWORD:?}"

# The broker's properties from the environment, by the official image's rule
# (KAFKA_A_B___C → a.b-c), enough for StorageTool to validate them.
props=/tmp/format.properties
: >"$props"
while IFS= read -r name; do
  case $name in KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_VERSION | KAFKA_HOME | KAFKA_LOG4J_*) continue ;; esac
  key=${name#KAFKA_}
  key=${key,,}
  key=${key//___/-}
  printf '%s=%s\n' "${key//_/.}" "${!name}" >>"$props"
done < <(compgen -e | grep '^KAFKA_')

/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "$CLUSTER_ID" --config "$props" \
  --add-scram "SCRAM-SHA-512=[name=admin,password=$SCRAM_ADMIN_PASSWORD]" \
  --add-scram "SCRAM-SHA-512=[name=user-service,password=$SCRAM_USER_SERVICE_PASSWORD]" \
  --add-scram "SCRAM-SHA-512=[name=gateway,password=$SCRAM_GATEWAY_PASSWORD]" \
  --add-scram "SCRAM-SHA-512=[name=verifier,password=$SCRAM_VERIFIER_PASSWORD]"
rm -f "$props"

# For the health probe and the ACL job: the admin's client settings.
umask 077
cat >/tmp/admin.properties <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$SCRAM_ADMIN_PASSWORD";
PROPS
unset SCRAM_USER_SERVICE_PASSWORD SCRAM_GATEWAY_PASSWORD SCRAM_VERIFIER_PASSWORD
exec /etc/kafka/docker/run
