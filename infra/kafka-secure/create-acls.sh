#!/usr/bin/env bash
# One-shot job of compose.secure.yaml: the ACLs of the secured stack, created as the super user
# `admin` with Kafka's own AclCommand (kafka-acls.sh) from the Kafka image — the same set as
# kafka-local's secured mode (infra/README.md, "Secured mode"). Creating an existing binding is
# a no-op, so a restart of the job is harmless. The services start once it has exited 0.
set -euo pipefail
: "${BOOTSTRAP:?}" "${SCRAM_ADMIN_PASSWORD:?}" "${TOPIC:?}"
# One topic per producer: the gateway's is TOPIC.gateway unless GATEWAY_TOPIC names another.
GATEWAY_TOPIC="${GATEWAY_TOPIC:-$TOPIC.gateway}"
umask 077
config=/tmp/admin.properties
cat >"$config" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$SCRAM_ADMIN_PASSWORD";
PROPS
acls() {
  # Kafka 4 ships AclCommand in kafka-tools; kafka-acls.sh is a wrapper around this class.
  /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.AclCommand \
    --bootstrap-server "$BOOTSTRAP" --command-config "$config" --add "$@" >/dev/null
}
# Issuers' publishers, each on its own topic only: WRITE (implies IdempotentWrite, KIP-679),
# DESCRIBE, CREATE, and DESCRIBE_CONFIGS: they check its retention at start (DESCRIBE does not
# imply it). The verifiers tell who wrote an event by the topic they read it from.
acls --allow-principal User:user-service \
  --operation Write --operation Describe --operation DescribeConfigs --operation Create \
  --topic "$TOPIC"
# The user-service also READs its own topic, for key rules naming its signing keys (it rotates
# away from them), with its key-watch groups.
acls --allow-principal User:user-service --operation Read --topic "$TOPIC"
acls --allow-principal User:user-service --operation Read --operation Delete \
  --group user-service-key-watch --resource-pattern-type prefixed
# Receipts (issue 22): a revocation request with `Prefer: wait=applied` and the admin console read
# which verifiers applied it — the verifier groups and their committed offsets (Describe on the
# groups; ListGroups then lists only those), and the topic through a reader group of the
# operator's own prefix (Read, Delete to remove it afterwards). Nothing here lets it write a
# group's offsets or join a verifier's group.
acls --allow-principal User:user-service --operation Describe \
  --group game-service --group revocation-verifier --group user-service-key-watch \
  --resource-pattern-type prefixed
acls --allow-principal User:user-service --operation Read --operation Delete \
  --group revocation-fabric-operator- --resource-pattern-type prefixed
acls --allow-principal User:gateway \
  --operation Write --operation Describe --operation DescribeConfigs --operation Create \
  --topic "$GATEWAY_TOPIC"
# Verifiers: READ both topics and their configuration (the retention check), READ + DELETE
# their own groups (<clientId>-<uuid>; closing deletes).
acls --allow-principal User:verifier --operation Read --operation Describe \
  --operation DescribeConfigs --topic "$TOPIC" --topic "$GATEWAY_TOPIC"
acls --allow-principal User:verifier --operation Read --operation Delete \
  --group game-service --group revocation-verifier --resource-pattern-type prefixed
echo "ACLs for $TOPIC and $GATEWAY_TOPIC created"
/opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.AclCommand \
  --bootstrap-server "$BOOTSTRAP" --command-config "$config" --list
