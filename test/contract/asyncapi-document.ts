/**
 * The AsyncAPI 3.0 document of the revocation topics, built from what the protocol package
 * exports — the event schema, the topic spec, the message key, the brake header — so the
 * committed `docs/asyncapi.yaml` is a rendering of the code, never a second definition.
 * `asyncapi.test.ts` fails when the committed file and this build differ; `pnpm contract:write`
 * rewrites it.
 */
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';
import {
  BRAKE_SIGNATURE_TYPE,
  DEFAULT_CLOCK_TOLERANCE_MS,
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_REVOCATION_PARTITIONS,
  DEFAULT_REVOCATION_TOPIC,
  GLOBAL_TARGET,
  REVOCATION_SIGNATURE_HEADER,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  RULE_KINDS,
  SCHEMA_VERSION,
  createEvent,
  encodeEvent,
  isBrake,
  revocationEventSchema,
  revocationTopicSpec,
} from '@revocation-fabric/protocol';
import type { RevocationEvent, RevocationEventInput, RuleKind } from '@revocation-fabric/protocol';
import { GATEWAY_REVOCATION_TOPIC } from '@revocation-fabric/service-runtime';
import { DEFAULT_MAX_TOKEN_LIFETIME_MS } from '@revocation-fabric/verifier';
import { DEFAULT_KAFKA_CLIENT_ID } from '@revocation-fabric/verifier/kafka';

/** A JSON value, as the document holds them. */
export type Json = string | number | boolean | null | Json[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** Where the committed document lives. */
export const ASYNCAPI_PATH = fileURLToPath(new URL('../../docs/asyncapi.yaml', import.meta.url));

/**
 * The record header the publisher writes on every record (`kafka-publisher.ts`). The publisher
 * exports no constant for it, so the name is stated here once for the document.
 */
export const EVENT_ID_HEADER = 'event-id';

/** The Kafka bindings' version every binding of the document follows. */
const KAFKA_BINDING_VERSION = '0.5.0';

/**
 * The token policy the document's `retention.ms` is computed for: the verifier's default
 * longest token lifetime (15 min) and the protocol's clock tolerance. Another policy gives
 * another retention (2 × lifetime + tolerance); the topic spec derives it the same way.
 */
const DOCUMENTED_POLICY = {
  maxTokenLifetimeMs: DEFAULT_MAX_TOKEN_LIFETIME_MS,
  clockToleranceMs: DEFAULT_CLOCK_TOLERANCE_MS,
};

/** Replication the document shows: the topic spec's production advice (its default is 1, for one broker). */
const PRODUCTION_REPLICAS = 3;

/** What each kind of rule does; the compiler makes a new kind bring its sentence. */
const KIND_SUMMARIES: Readonly<Record<RuleKind, string>> = {
  token: 'Revokes one access token (its `jti`) until it expires.',
  session: 'Revokes every token of one login session (`sid`).',
  subject:
    'Revokes every token of one subject (`sub`) issued before `cutoff`, or with an `sgen` below `generation`.',
  key: 'Brake: revokes every token signed with one key (`kid`). Counts only with a valid signature header.',
  global:
    'Brake: revokes every token of the issuer issued before `cutoff`, or with a `ggen` below `generation`. Counts only with a valid signature header.',
};

/** A fixed instant for the examples, so the document does not change from one build to the next. */
const EXAMPLE_INSTANT = Date.UTC(2026, 0, 1);
const EXAMPLE_ISSUER = 'https://auth.example';

/** One example event per kind, valid for the protocol (built by its `createEvent`). */
const EXAMPLE_INPUTS: Readonly<Record<RuleKind, RevocationEventInput>> = {
  token: {
    kind: 'token',
    jti: 'b3d1c6e0-jti',
    expiresAt: EXAMPLE_INSTANT + 600_000,
    reason: 'logout',
    actor: 'u-42',
    iss: EXAMPLE_ISSUER,
  },
  session: { kind: 'session', sid: 's-7', reason: 'logout', actor: 'u-42', iss: EXAMPLE_ISSUER },
  subject: {
    kind: 'subject',
    sub: 'u-42',
    cutoff: EXAMPLE_INSTANT,
    generation: 3,
    reason: 'password-change',
    actor: 'u-42',
    iss: EXAMPLE_ISSUER,
  },
  key: {
    kind: 'key',
    kid: 'key-2026-01',
    reason: 'key-compromise',
    actor: 'admin-1',
    iss: EXAMPLE_ISSUER,
  },
  global: {
    kind: 'global',
    cutoff: EXAMPLE_INSTANT,
    generation: 8,
    reason: 'emergency',
    actor: 'admin-1',
    iss: EXAMPLE_ISSUER,
  },
};

/**
 * A protocol-valid example event of `kind`, with a fixed id and time.
 *
 * @example
 * ```ts
 * encodeEvent(exampleEvent('session')).key // 'session:https%3A%2F%2Fauth.example:s-7'
 * ```
 */
export function exampleEvent(kind: RuleKind): RevocationEvent {
  return createEvent(
    {
      ...EXAMPLE_INPUTS[kind],
      id: `00000000-0000-4000-8000-00000000000${RULE_KINDS.indexOf(kind)}`,
    },
    { now: () => EXAMPLE_INSTANT },
  );
}

/** The AsyncAPI message name of a kind's events, e.g. `tokenRevocation`. */
export function messageName(kind: RuleKind): string {
  return `${kind}Revocation`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** The JSON schema (draft-07, AsyncAPI's default schema format) of one kind's events. */
function payloadSchema(kind: RuleKind): JsonObject {
  const member = revocationEventSchema.options.find((option) => option.shape.kind.value === kind);
  if (member === undefined) throw new Error(`the event schema has no member for kind ${kind}`);
  const { $schema: _dialect, ...schema } = JSON.parse(
    JSON.stringify(member.toJSONSchema({ target: 'draft-07' })),
  ) as JsonObject;
  return schema;
}

/**
 * The key schema of one kind: `kind:issuer:target`, the issuer percent-encoded so it holds no
 * colon (`ruleKey`), the target `*` for a global rule.
 */
function keySchema(kind: RuleKind): JsonObject {
  const target = kind === 'global' ? `\\${GLOBAL_TARGET}` : '.+';
  return {
    type: 'string',
    pattern: `^${kind}:[^:]+:${target}$`,
    description:
      '`kind:issuer:target` (the protocol’s `eventKey`): log compaction keeps the latest event per target of one issuer. The issuer is percent-encoded, so the key splits at its first two colons.',
    examples: [encodeEvent(exampleEvent(kind), { now: EXAMPLE_INSTANT }).key],
  };
}

function headersSchema(kind: RuleKind, idSchema: Json | undefined): JsonObject {
  const properties: JsonObject = {
    [EVENT_ID_HEADER]: {
      ...(typeof idSchema === 'object' && idSchema !== null && !Array.isArray(idSchema)
        ? idSchema
        : { type: 'string' }),
      description:
        'The event’s `id`, written by the publisher on every record so logs and taps can follow an event without decoding it.',
    },
    [TRACEPARENT_HEADER]: {
      type: 'string',
      pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      description:
        'W3C Trace Context of the span that created the event (the revoking request’s trace), written only when the producer traces (an OpenTelemetry SDK registered). Each verifier’s apply is a span in that trace.',
    },
    [TRACESTATE_HEADER]: {
      type: 'string',
      description: 'The W3C `tracestate` that came with `traceparent`, passed on untouched.',
    },
  };
  if (!isBrake(kind)) return { type: 'object', properties, required: [EVENT_ID_HEADER] };
  properties[REVOCATION_SIGNATURE_HEADER] = {
    type: 'string',
    pattern: '^[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+$',
    description: `A JWS with detached content (RFC 7515, appendix F) over the record value exactly as published, by a key of the issuer’s JWKS, with \`typ\` ${BRAKE_SIGNATURE_TYPE}. Verifiers refuse an unsigned brake (BRAKE_UNSIGNED) or one whose signature fails (BRAKE_SIGNATURE_INVALID).`,
  };
  return {
    type: 'object',
    properties,
    required: [EVENT_ID_HEADER, REVOCATION_SIGNATURE_HEADER],
  };
}

function message(kind: RuleKind): JsonObject {
  const payload = payloadSchema(kind);
  const event = exampleEvent(kind);
  const properties = payload['properties'];
  const idSchema =
    typeof properties === 'object' && properties !== null && !Array.isArray(properties)
      ? properties['id']
      : undefined;
  const headers: JsonObject = { [EVENT_ID_HEADER]: event.id };
  if (isBrake(kind)) {
    // The protected header is the real shape; the signature part is a placeholder.
    headers[REVOCATION_SIGNATURE_HEADER] =
      `${base64url(JSON.stringify({ alg: 'ES256', kid: 'signing-key-1', typ: BRAKE_SIGNATURE_TYPE }))}..${base64url('illustrative-signature')}`;
  }
  return {
    name: messageName(kind),
    title: `${kind} revocation`,
    summary: KIND_SUMMARIES[kind],
    contentType: 'application/json',
    headers: headersSchema(kind, idSchema),
    payload,
    bindings: { kafka: { key: keySchema(kind), bindingVersion: KAFKA_BINDING_VERSION } },
    examples: [
      {
        name: `${kind}-example`,
        summary: isBrake(kind)
          ? `A ${kind} rule (the signature in the header is illustrative).`
          : `A ${kind} rule.`,
        headers,
        payload: JSON.parse(JSON.stringify(event)) as Json,
      },
    ],
  };
}

/** The Kafka channel binding of a topic the topic spec creates. */
function channelBinding(topic: string): JsonObject {
  const spec = revocationTopicSpec({
    ...DOCUMENTED_POLICY,
    topic,
    partitions: DEFAULT_REVOCATION_PARTITIONS,
    replicationFactor: PRODUCTION_REPLICAS,
  });
  const topicConfiguration: JsonObject = {};
  for (const { name, value } of spec.configEntries) {
    topicConfiguration[name] =
      name === 'cleanup.policy' ? value.split(',') : /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return {
    kafka: {
      topic: spec.topic,
      partitions: spec.numPartitions,
      replicas: spec.replicationFactor,
      topicConfiguration,
      bindingVersion: KAFKA_BINDING_VERSION,
    },
  };
}

interface ChannelFacts {
  readonly id: string;
  readonly topic: string;
  readonly title: string;
  readonly writer: string;
}

const CHANNELS: readonly ChannelFacts[] = [
  {
    id: 'revocations',
    topic: DEFAULT_REVOCATION_TOPIC,
    title: 'The user-service’s revocations',
    writer: 'the user-service (its outbox relay, through the publisher package)',
  },
  {
    id: 'gatewayRevocations',
    topic: GATEWAY_REVOCATION_TOPIC,
    title: 'The revocation gateway’s revocations',
    writer:
      'the revocation gateway (its outbox relay, through the publisher package), from identity providers’ logout and SSF signals',
  },
];

function channel(facts: ChannelFacts): JsonObject {
  const messages: JsonObject = {};
  for (const kind of RULE_KINDS) {
    messages[kind] = { $ref: `#/components/messages/${messageName(kind)}` };
  }
  return {
    address: facts.topic,
    title: facts.title,
    description: [
      `Written only by ${facts.writer}: each producer has a topic of its own, writable by its Kafka principal alone, so a verifier knows who stated a rule and accepts from each topic only the kinds its issuers grant it.`,
      `Compacted and deleted (\`cleanup.policy=compact,delete\`): compaction keeps the latest event per key, deletion drops events older than \`retention.ms\`, which the topic spec sizes as 2 × the longest token lifetime + the clock tolerance (${DOCUMENTED_POLICY.maxTokenLifetimeMs} ms tokens and ${DOCUMENTED_POLICY.clockToleranceMs} ms tolerance here), so a verifier that replays the topic at start still finds every rule that can reject a live token.`,
    ].join('\n\n'),
    messages,
    bindings: channelBinding(facts.topic),
  };
}

function channelMessages(channelId: string): Json[] {
  return RULE_KINDS.map((kind) => ({ $ref: `#/channels/${channelId}/messages/${kind}` }));
}

function sendOperation(channelId: string, clientId: string, who: string): JsonObject {
  return {
    action: 'send',
    channel: { $ref: `#/channels/${channelId}` },
    title: `${who} publishes revocations`,
    description: `${who} commits each revocation to an outbox in the same transaction as the change that caused it; its relay publishes the outbox with acks=all and an idempotent producer, so an event is published at least once, in commit order per key.`,
    messages: channelMessages(channelId),
    bindings: {
      kafka: {
        clientId: {
          type: 'string',
          description: `KAFKA_CLIENT_ID; default \`${clientId}\`.`,
          default: clientId,
        },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function receiveOperation(channelId: string): JsonObject {
  return {
    action: 'receive',
    channel: { $ref: `#/channels/${channelId}` },
    title: 'Verifiers apply revocations',
    description:
      'Every verifier (or every host’s revocation relay) reads every partition from the beginning of retention at start (or from its last snapshot), and is ready only once it has replayed up to the high-water marks it found. A record that fails the protocol’s checks is skipped and counted as poison, never retried.',
    messages: channelMessages(channelId),
    bindings: {
      kafka: {
        groupId: {
          type: 'string',
          pattern: '^.+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
          description: `Each verifier uses a consumer group of its own, \`<clientId>-<random UUID>\` (client id default \`${DEFAULT_KAFKA_CLIENT_ID}\`): every verifier must read every event, so verifiers never share a group, and the group is deleted when the verifier closes. The group’s committed offsets are receipts (what this verifier has applied, for operators and \`Prefer: wait=applied\`), not a resume point: a restarted verifier replays, from a snapshot if it keeps one.`,
        },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

/**
 * Builds the AsyncAPI 3.0 document of the revocation topics from the protocol package.
 *
 * @example
 * ```ts
 * const document = revocationsAsyncApi();
 * document['asyncapi'] // '3.0.0'
 * ```
 */
export function revocationsAsyncApi(): JsonObject {
  const channels: JsonObject = {};
  for (const facts of CHANNELS) channels[facts.id] = channel(facts);
  const messages: JsonObject = {};
  for (const kind of RULE_KINDS) messages[messageName(kind)] = message(kind);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Revocation events',
      version: String(SCHEMA_VERSION),
      description: [
        'The revocation topics of the revocation fabric: one event states one rule that rejects some access tokens; every verifier holds every rule of the issuers it trusts in memory.',
        'Generated from `@revocation-fabric/protocol` (its event schema, topic spec, message key and brake header) by `test/contract/asyncapi-document.ts`; do not edit by hand, run `pnpm contract:write`. `info.version` is the event schema version (`v`).',
        `Every time in an event is in milliseconds since the Unix epoch. Readers skip (and count as poison) a record larger than the size limit (${DEFAULT_MAX_EVENT_BYTES} bytes by default), not UTF-8 JSON, of another schema version, invalid for the schema, or with a cutoff further in the future than the clock tolerance.`,
      ].join('\n\n'),
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    channels,
    operations: {
      userServicePublishes: sendOperation('revocations', 'user-service', 'The user-service'),
      gatewayPublishes: sendOperation('gatewayRevocations', 'gateway', 'The revocation gateway'),
      verifiersReceive: receiveOperation('revocations'),
      verifiersReceiveFromGateway: receiveOperation('gatewayRevocations'),
    },
    components: { messages },
  };
}

/**
 * The document as committed: YAML, formatted by the workspace's prettier so `prettier --check`
 * agrees with the file this writes.
 */
export async function renderAsyncApi(document: JsonObject): Promise<string> {
  const text = stringify(document, { lineWidth: 0 });
  const options = (await resolveConfig(ASYNCAPI_PATH)) ?? {};
  return format(text, { ...options, parser: 'yaml' });
}
