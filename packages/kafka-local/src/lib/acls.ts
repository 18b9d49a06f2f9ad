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
  /** The revocation topic. */
  readonly topic: string;
  /** Consumer group id prefixes of verifiers (their group is `<clientId>-<uuid>`). */
  readonly verifierGroupPrefixes: readonly string[];
}

/**
 * The ACL set: producers (`user-service`, `gateway`) WRITE, DESCRIBE, DESCRIBE_CONFIGS and
 * CREATE the topic (the publisher may create it, and checks its retention at start; WRITE
 * implies IdempotentWrite since Kafka 3.0, KIP-679); `verifier` READs, DESCRIBEs and
 * DESCRIBE_CONFIGS it (the retention check) and READs and DELETEs (closing deletes it) groups
 * under its prefix. DESCRIBE does not imply DESCRIBE_CONFIGS. Everyone else gets nothing:
 * `allow.everyone.if.no.acl.found=false`.
 */
export function revocationAcls(plan: AclPlan): AclBinding[] {
  const topic = (principal: string, operation: AclBinding['operation']): AclBinding => ({
    principal,
    resource: 'topic',
    name: plan.topic,
    pattern: 'literal',
    operation,
  });
  const group = (name: string, operation: AclBinding['operation']): AclBinding => ({
    principal: 'verifier',
    resource: 'group',
    name,
    pattern: 'prefixed',
    operation,
  });
  return [
    ...['user-service', 'gateway'].flatMap((principal) =>
      (['write', 'describe', 'describe-configs', 'create'] as const).map((operation) =>
        topic(principal, operation),
      ),
    ),
    topic('verifier', 'read'),
    topic('verifier', 'describe'),
    topic('verifier', 'describe-configs'),
    ...plan.verifierGroupPrefixes.flatMap((prefix) => [
      group(prefix, 'read'),
      group(prefix, 'delete'),
    ]),
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
