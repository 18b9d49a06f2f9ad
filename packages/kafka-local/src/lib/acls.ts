import type { ProbeCredentials } from './metadata-probe.js';
import { KafkaWire, encodeString } from './wire.js';

// Wire enums of CreateAcls (org.apache.kafka.common.resource / acl).
const RESOURCE = { topic: 2, group: 3 } as const;
const PATTERN = { literal: 3, prefixed: 4 } as const;
const OPERATION = {
  read: 3,
  write: 4,
  create: 5,
  delete: 6,
  describe: 8,
  'describe-configs': 10,
} as const;
const ALLOW = 3;

/** One ALLOW binding for `User:<principal>` from any host. */
export interface AclBinding {
  readonly principal: string;
  readonly resource: keyof typeof RESOURCE;
  readonly name: string;
  readonly pattern: keyof typeof PATTERN;
  readonly operation: keyof typeof OPERATION;
}

/** What the secured local cluster grants, beyond the super user `admin`. */
export interface AclPlan {
  /** The user-service's revocation topic; the gateway's is {@link gatewayTopicOf} it. */
  readonly topic: string;
  /** Consumer group id prefixes of verifiers (their group is `<clientId>-<uuid>`). */
  readonly verifierGroupPrefixes: readonly string[];
}

/**
 * The consumer group prefix of the user-service's key-rule watch (`<clientId>-key-watch-<uuid>`
 * with the default client id): it reads its own topic to rotate away from a key a rule names.
 */
export const USER_SERVICE_KEY_WATCH_GROUP = 'user-service-key-watch';

/** The prefix of the operator package's reader groups (`@revocation-fabric/operator`). */
export const OPERATOR_READER_GROUP = 'revocation-fabric-operator-';

/**
 * The revocation gateway's topic next to the user-service's `topic`: `<topic>.gateway`. One
 * topic per producer principal, so a verifier can tell who wrote an event by where it read it.
 */
export function gatewayTopicOf(topic: string): string {
  return `${topic}.gateway`;
}

/**
 * The ACL set, one topic per producer: `user-service` WRITEs, DESCRIBEs, DESCRIBE_CONFIGS and
 * CREATEs `topic` only, `gateway` the same on `<topic>.gateway` only (a publisher may create
 * its topic, and checks its retention at start; WRITE implies IdempotentWrite since Kafka 3.0,
 * KIP-679); `verifier` READs, DESCRIBEs and DESCRIBE_CONFIGS both (the retention check) and
 * READs and DELETEs (closing deletes it) groups under its prefixes. DESCRIBE does not imply
 * DESCRIBE_CONFIGS. Everyone else gets nothing: `allow.everyone.if.no.acl.found=false`.
 */
export function revocationAcls(plan: AclPlan): AclBinding[] {
  const topic = (
    principal: string,
    name: string,
    operation: AclBinding['operation'],
  ): AclBinding => ({
    principal,
    resource: 'topic',
    name,
    pattern: 'literal',
    operation,
  });
  const group = (
    name: string,
    operation: AclBinding['operation'],
    principal = 'verifier',
  ): AclBinding => ({
    principal,
    resource: 'group',
    name,
    pattern: 'prefixed',
    operation,
  });
  const producers = [
    ['user-service', plan.topic],
    ['gateway', gatewayTopicOf(plan.topic)],
  ] as const;
  return [
    ...producers.flatMap(([principal, name]) =>
      (['write', 'describe', 'describe-configs', 'create'] as const).map((operation) =>
        topic(principal, name, operation),
      ),
    ),
    ...producers.flatMap(([, name]) =>
      (['read', 'describe', 'describe-configs'] as const).map((operation) =>
        topic('verifier', name, operation),
      ),
    ),
    ...plan.verifierGroupPrefixes.flatMap((prefix) => [
      group(prefix, 'read'),
      group(prefix, 'delete'),
    ]),
    // The user-service reads its own topic (never the gateway's) for key rules naming its keys.
    topic('user-service', plan.topic, 'read'),
    group(USER_SERVICE_KEY_WATCH_GROUP, 'read', 'user-service'),
    group(USER_SERVICE_KEY_WATCH_GROUP, 'delete', 'user-service'),
    // Receipts (`Prefer: wait=applied`, the admin console): the user-service reads which
    // verifiers applied a revocation — their groups' offsets — and reads the topic through a
    // reader group of the operator package's prefix, deleted afterwards.
    ...[...plan.verifierGroupPrefixes, USER_SERVICE_KEY_WATCH_GROUP].map((prefix) =>
      group(prefix, 'describe', 'user-service'),
    ),
    group(OPERATOR_READER_GROUP, 'read', 'user-service'),
    group(OPERATOR_READER_GROUP, 'delete', 'user-service'),
  ];
}

/** Encodes a CreateAcls v1 request body (the oldest version Kafka 4.x accepts, non-flexible). */
export function encodeCreateAcls(bindings: readonly AclBinding[]): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeInt32BE(bindings.length, 0);
  parts.push(count);
  for (const binding of bindings) {
    parts.push(Buffer.from([RESOURCE[binding.resource]]));
    parts.push(encodeString(binding.name));
    parts.push(Buffer.from([PATTERN[binding.pattern]]));
    parts.push(encodeString(`User:${binding.principal}`));
    parts.push(encodeString('*'));
    parts.push(Buffer.from([OPERATION[binding.operation], ALLOW]));
  }
  return Buffer.concat(parts);
}

/**
 * Creates the bindings through `host:port` as the super user. Creating an existing binding is
 * a no-op for Kafka, so this is safe on every start.
 *
 * @throws {Error} naming each binding the broker refused and why.
 */
export async function createAcls(
  host: string,
  port: number,
  admin: ProbeCredentials,
  bindings: readonly AclBinding[],
): Promise<void> {
  const wire = await KafkaWire.connect(host, port, 10_000);
  try {
    await wire.authenticate('SCRAM-SHA-512', admin.username, admin.password);
    const response = await wire.request(30, 1, encodeCreateAcls(bindings));
    const failures: string[] = [];
    let offset = 4; // throttle_time_ms
    const results = response.readInt32BE(offset);
    offset += 4;
    for (let index = 0; index < results; index += 1) {
      const errorCode = response.readInt16BE(offset);
      const length = response.readInt16BE(offset + 2);
      offset += 4;
      const message = length < 0 ? '' : response.toString('utf8', offset, offset + length);
      offset += Math.max(length, 0);
      const binding = bindings[index];
      if (errorCode !== 0 && binding !== undefined) {
        failures.push(
          `${binding.operation} ${binding.resource} ${binding.name} for ${binding.principal}: error ${errorCode} ${message}`,
        );
      }
    }
    if (failures.length > 0) throw new Error(`creating ACLs failed: ${failures.join('; ')}`);
  } finally {
    wire.close();
  }
}
