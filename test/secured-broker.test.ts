/**
 * Who may revoke what, on the real broker: a secured kafka-local cluster of this file's own
 * (SASL/SCRAM-SHA-512, StandardAuthorizer, the revocation ACLs: `user-service` writes its topic,
 * `gateway` its `<topic>.gateway`, `verifier` reads both), one for every case because a start
 * costs seconds. A forged global cutoff is what an intruder would write.
 *
 * The first cases try it without the right to write at all (no credentials, a wrong password,
 * the read-only verifier principal): Kafka refuses. The next ones try every path a stolen
 * producer password opens, against a verifier configured as a team would (the user-service's
 * issuer speaks from its topic only, an OIDC provider's from the gateway's topic, never with
 * brakes): the gateway principal in the user-service's topic (Kafka refuses), the gateway
 * principal in its own topic (lands, refused by the verifier: SOURCE_NOT_AUTHORIZED), the
 * user-service principal's unsigned or badly signed brakes (land, refused: BRAKE_UNSIGNED,
 * BRAKE_SIGNATURE_INVALID), and a forged subject rule, which counts but cannot outlive its
 * cutoff + clock tolerance (bounded damage). Each "nothing happened" is followed by a round trip
 * through the same partition, so the verifier had read past the forged record when the token
 * was checked. The last case pulls a legitimately signed brake, which refuses every earlier
 * token of the issuer: it must stay last.
 */
import { randomUUID } from 'node:crypto';
import {
  BRAKE_SIGNATURE_TYPE,
  REVOCATION_SIGNATURE_HEADER,
  createEvent,
  encodeEvent,
  revocationTopicSpec,
} from '@revocation-fabric/protocol';
import type { RevocationEventInput } from '@revocation-fabric/protocol';
import {
  connectOperator,
  eventTarget,
  readFleet,
  waitForApplied,
} from '@revocation-fabric/operator';
import { PublishFailedError } from '@revocation-fabric/publisher';
import { kafkaPublisher } from '@revocation-fabric/publisher/kafka';
import type { RevocationPublisher } from '@revocation-fabric/publisher';
import type { KafkaSasl } from '@revocation-fabric/publisher/kafka';
import {
  faultKafkaSupport,
  createTopic,
  openTopicWriter,
  outcomeOf,
  startSecureKafka,
  startTopicReader,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import type {
  OutgoingRecord,
  RecordAck,
  SecureKafka,
  TopicWriter,
} from '@revocation-fabric/testkit';
import { VerifierError, createVerifier } from '@revocation-fabric/verifier';
import type { RefusedEventReason, Verifier, VerifierLogger } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { FlattenedSign, SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const faults = await faultKafkaSupport();
if (!faults.supported) console.warn(`[secured] skipped: ${faults.reason}`);

const ISSUER = 'https://auth.secured.test';
const AUDIENCE = 'revocation-fabric';
/** An OIDC provider whose signals the gateway turns into rules on its own topic. */
const PROVIDER = 'https://sso.secured.test/realms/main';
const PROVIDER_AUDIENCE = 'account';
/** The team verifier's clock tolerance (the default): no subject or global rule outlives cutoff + this. */
const TOLERANCE_MS = 5_000;
/** A refusal must surface well inside this (the publisher retries 3 times, 2 s at most each). */
const REFUSAL_BOUND_MS = 20_000;
/** A record written must reach the verifier well inside this. */
const DELIVERY_BOUND_MS = 20_000;

/** What a principal holding one of the Kafka passwords may write: who, and into which topic. */
type Writer = 'user-service' | 'gateway';

interface Signer {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function signer(alg: 'ES256' | 'RS256', kid: string = randomUUID()): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

describe.skipIf(!faults.supported)('the revocation topic on a secured broker', () => {
  let kafka: SecureKafka | undefined;
  /** The user-service's token key, in its JWKS: it also signs its brakes. */
  let issuerKey: Signer;
  /** The provider's token key. */
  let providerKey: Signer;
  /** A key in no JWKS, claiming the user-service's kid: what a forger can sign with. */
  let forgerKey: Signer;
  /** Issued before any forged cutoff: a landed one would refuse it. */
  let bystander: string;
  /** The verifier as a team configures it: two issuers, each from its own producer's topic. */
  let team: Verifier;
  /** Producers holding the user-service's and the gateway's Kafka passwords. */
  const writers = new Map<Writer, TopicWriter>();
  const publishers: RevocationPublisher[] = [];
  const verifiers: Verifier[] = [];

  beforeAll(async () => {
    const started = Date.now();
    kafka = await startSecureKafka({ name: 'secured-broker-test' });
    console.info(`[secured] secured 1-node cluster up after ${Date.now() - started} ms`);
    const spec = revocationTopicSpec({ topic: kafka.topic, maxTokenLifetimeMs: 15 * 60_000 });
    for (const topic of [kafka.topic, kafka.gatewayTopic]) {
      await createTopic(kafka.brokers, {
        topic,
        partitions: spec.numPartitions,
        replicationFactor: 1,
        configEntries: spec.configEntries,
        sasl: kafka.credentials.admin,
      });
    }
    issuerKey = await signer('ES256');
    providerKey = await signer('RS256');
    forgerKey = await signer('ES256', issuerKey.kid);
    bystander = await token('u-bystander', Math.floor(Date.now() / 1000) - 60);
    for (const [writer, sasl] of [
      ['user-service', kafka.credentials.userService],
      ['gateway', kafka.credentials.gateway],
    ] as const) {
      writers.set(
        writer,
        await openTopicWriter(kafka.brokers, { clientId: `secured-test-${writer}`, sasl }),
      );
    }
    team = createVerifier({
      issuers: [
        {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['ES256'],
          jwks: { keys: [issuerKey.jwk] },
          // Every kind, from the user-service's topic only; brakes signed by its token keys.
          authority: { sources: [kafka.topic] },
        },
        {
          issuer: PROVIDER,
          audience: PROVIDER_AUDIENCE,
          algorithms: ['RS256'],
          jwks: { keys: [providerKey.jwk] },
          maxTokenLifetimeMs: 300_000,
          claims: { roles: 'realm_access.roles', subjectGeneration: null, globalGeneration: null },
          // What the gateway relays for a provider, from its topic only; no brakes at all.
          authority: {
            sources: [{ source: kafka.gatewayTopic, kinds: ['token', 'session', 'subject'] }],
            brakeKeys: false,
          },
        },
      ],
      clockToleranceMs: TOLERANCE_MS,
      revocations: kafkaRevocations({
        brokers: kafka.brokers,
        topics: [kafka.topic, kafka.gatewayTopic],
        // A copy: kafkajs writes its authenticator onto the sasl object it is given.
        sasl: { ...kafka.credentials.verifier },
      }),
    });
    verifiers.push(team);
    await team.ready();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(verifiers.map((verifier) => verifier.close()));
    await Promise.all(publishers.map((publisher) => publisher.close()));
    await Promise.all([...writers.values()].map((writer) => writer.close()));
    await kafka?.close();
  }, 60_000);

  function cluster(): SecureKafka {
    if (kafka === undefined) throw new Error('the secured cluster did not start');
    return kafka;
  }

  function topicOf(writer: Writer): string {
    return writer === 'user-service' ? cluster().topic : cluster().gatewayTopic;
  }

  function writerOf(writer: Writer): TopicWriter {
    const found = writers.get(writer);
    if (found === undefined) throw new Error(`no ${writer} producer`);
    return found;
  }

  function publisher(sasl: KafkaSasl | undefined, topic = cluster().topic): RevocationPublisher {
    const made = kafkaPublisher({
      brokers: cluster().brokers,
      topic,
      clientId: 'secured-test-publisher',
      ...(sasl === undefined ? {} : { sasl }),
    });
    publishers.push(made);
    return made;
  }

  function message(input: RevocationEventInput): { key: string; value: string; eventId: string } {
    const event = createEvent(input);
    return { ...encodeEvent(event), eventId: event.id };
  }

  /** What an intruder writes: every token of our issuer issued until now is rejected. */
  function forgedGlobalCutoff(): { key: string; value: string; eventId: string } {
    return message({
      kind: 'global',
      cutoff: Date.now(),
      reason: 'emergency',
      actor: 'intruder',
      iss: ISSUER,
    });
  }

  /**
   * The same with a generation far above any real one: had it counted, every token of `iss`
   * issued until now would be refused, whatever its `ggen`.
   */
  function forgedBrake(iss = ISSUER): { key: string; value: string; eventId: string } {
    return message({
      kind: 'global',
      cutoff: Date.now(),
      generation: 999_999,
      reason: 'emergency',
      actor: 'intruder',
      iss,
    });
  }

  /** A forged key rule for the issuer's active key: every token it signed would be refused. */
  function forgedKeyRule(): { key: string; value: string; eventId: string } {
    return message({
      kind: 'key',
      kid: issuerKey.kid,
      reason: 'key-compromise',
      actor: 'intruder',
      iss: ISSUER,
    });
  }

  /** A brake signature as the protocol has it: a detached compact JWS over the record value. */
  async function signBrake(key: Signer, payload: string): Promise<string> {
    const jws = await new FlattenedSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: BRAKE_SIGNATURE_TYPE })
      .sign(key.privateKey);
    return `${jws.protected ?? ''}..${jws.signature}`;
  }

  /** Writes one record as `writer` into `topic` (its own unless said) and returns where it landed. */
  async function write(
    writer: Writer,
    record: { key: string; value: string },
    options: Pick<OutgoingRecord, 'headers' | 'partition'> & { topic?: string } = {},
  ): Promise<RecordAck> {
    const { topic = topicOf(writer), ...rest } = options;
    const [ack] = await writerOf(writer).send(topic, [
      { key: record.key, value: record.value, ...rest },
    ]);
    if (ack === undefined || Number(ack.baseOffset) < 0) {
      throw new Error(`${topic} did not acknowledge the record`);
    }
    return ack;
  }

  function refused(reason: RefusedEventReason): number {
    return team.stats().refused.byReason[reason] ?? 0;
  }

  /** Waits until the team verifier has refused `count` more events for `reason` than `before`. */
  async function refusedMore(reason: RefusedEventReason, before: number, count: number) {
    await waitFor(() => refused(reason) >= before + count, {
      timeoutMs: DELIVERY_BOUND_MS,
      description: `${count} event(s) refused with ${reason}`,
    });
    expect(refused(reason)).toBe(before + count);
  }

  /**
   * The round trip that gives a "nothing happened" its meaning: `writer` writes a legitimate
   * subject rule into its topic — into the partition of `after`, behind the forged record —
   * and once the team verifier refuses the token it revokes, it has read past `after`.
   */
  async function readPast(writer: Writer, after?: RecordAck): Promise<void> {
    const sub = `marker-${randomUUID()}`;
    const issuedAt = Math.floor(Date.now() / 1000) - 30;
    const iss = writer === 'user-service' ? ISSUER : PROVIDER;
    const marked =
      writer === 'user-service' ? await token(sub, issuedAt) : await providerToken(sub, issuedAt);
    expect(await outcome(team, marked)).toBe('ok');
    await write(
      writer,
      message({
        kind: 'subject',
        sub,
        cutoff: Date.now(),
        reason: 'logout-all',
        actor: writer,
        iss,
      }),
      after === undefined ? {} : { partition: after.partition },
    );
    await waitFor(async () => (await outcome(team, marked)) === 'TOKEN_REVOKED', {
      timeoutMs: DELIVERY_BOUND_MS,
      description: `a ${writer} rule written after offset ${after?.baseOffset ?? '(none)'} of partition ${after?.partition ?? '(any)'} applied`,
    });
  }

  /** Every distinct partition of `acks` read past: one round trip each. */
  async function readPastAll(writer: Writer, acks: readonly RecordAck[]): Promise<void> {
    const last = new Map<number, RecordAck>();
    for (const ack of acks) last.set(ack.partition, ack);
    for (const ack of last.values()) await readPast(writer, ack);
  }

  /** Publishes and returns the refusal and how long it took to arrive. */
  async function refusal(target: RevocationPublisher): Promise<{ error: unknown; ms: number }> {
    const started = Date.now();
    const error = await target.publish([forgedGlobalCutoff()]).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    return { error, ms: Date.now() - started };
  }

  function causeChain(error: unknown): string {
    const parts: string[] = [];
    for (let current = error; current instanceof Error; current = current.cause) {
      const type = (current as { type?: unknown }).type;
      parts.push(
        `${current.name}${typeof type === 'string' ? `[${type}]` : ''}: ${current.message}`,
      );
    }
    return parts.join(' <- ');
  }

  /** A token as the user-service mints it (with `generations`, its `sgen`/`ggen` claims). */
  function token(
    sub: string,
    issuedAtSeconds: number,
    generations: { sgen?: number; ggen?: number } = {},
  ): Promise<string> {
    return new SignJWT({ sid: randomUUID(), jti: randomUUID(), roles: ['user'], ...generations })
      .setProtectedHeader({ alg: 'ES256', kid: issuerKey.kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(sub)
      .setIssuedAt(issuedAtSeconds)
      .setExpirationTime(issuedAtSeconds + 300)
      .sign(issuerKey.privateKey);
  }

  /** A token as an OIDC provider mints it: no generations, roles under realm_access. */
  function providerToken(sub: string, issuedAtSeconds: number): Promise<string> {
    return new SignJWT({ sid: randomUUID(), realm_access: { roles: ['player'] } })
      .setProtectedHeader({ alg: 'RS256', kid: providerKey.kid, typ: 'JWT' })
      .setIssuer(PROVIDER)
      .setAudience(PROVIDER_AUDIENCE)
      .setSubject(sub)
      .setIssuedAt(issuedAtSeconds)
      .setExpirationTime(issuedAtSeconds + 300)
      .sign(providerKey.privateKey);
  }

  function verifier(sasl: KafkaSasl, logger?: VerifierLogger): Verifier {
    const made = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      jwks: { keys: [issuerKey.jwk] },
      revocations: kafkaRevocations({ brokers: cluster().brokers, topic: cluster().topic, sasl }),
      ...(logger === undefined ? {} : { logger }),
    });
    verifiers.push(made);
    return made;
  }

  function outcome(target: Verifier, jwt: string) {
    return outcomeOf(target.verify(jwt), VerifierError);
  }

  it('refuses a producer without credentials, with a PublishFailedError in bounded time', async () => {
    const { error, ms } = await refusal(publisher(undefined));
    console.info(`[secured] unauthenticated produce refused after ${ms} ms: ${causeChain(error)}`);
    expect(error).toBeInstanceOf(PublishFailedError);
    expect(ms).toBeLessThan(REFUSAL_BOUND_MS);
  });

  it('refuses a producer with a wrong password: SASL authentication failed', async () => {
    const { error, ms } = await refusal(
      publisher({ ...cluster().credentials.userService, password: 'not-the-password' }),
    );
    console.info(`[secured] wrong-password produce refused after ${ms} ms: ${causeChain(error)}`);
    expect(error).toBeInstanceOf(PublishFailedError);
    expect(causeChain(error)).toMatch(/SASL SCRAM SHA512 authentication failed/i);
    expect(ms).toBeLessThan(REFUSAL_BOUND_MS);
  });

  it('refuses the read-only verifier principal when it produces: not authorized', async () => {
    const { error, ms } = await refusal(publisher(cluster().credentials.verifier));
    console.info(
      `[secured] read-only principal's produce refused after ${ms} ms: ${causeChain(error)}`,
    );
    expect(error).toBeInstanceOf(PublishFailedError);
    // The publisher's producer is idempotent: its InitProducerId needs WRITE on some topic, so
    // the broker refuses the read-only principal before any record is sent.
    expect(causeChain(error)).toMatch(/CLUSTER_AUTHORIZATION_FAILED/);
    expect(ms).toBeLessThan(REFUSAL_BOUND_MS);
  });

  it('refuses a plain (non-idempotent) produce by the verifier principal: TOPIC_AUTHORIZATION_FAILED', async () => {
    const writer = await openTopicWriter(cluster().brokers, {
      clientId: 'secured-test-plain-writer',
      sasl: cluster().credentials.verifier,
      idempotent: false,
    });
    try {
      const started = Date.now();
      const error = await writer.send(cluster().topic, [forgedGlobalCutoff()]).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      const ms = Date.now() - started;
      console.info(
        `[secured] read-only principal's plain produce refused after ${ms} ms: ${causeChain(error)}`,
      );
      expect(causeChain(error)).toMatch(/TOPIC_AUTHORIZATION_FAILED/);
      expect(ms).toBeLessThan(REFUSAL_BOUND_MS);
    } finally {
      await writer.close();
    }
  });

  it('keeps a verifier with bad credentials NOT_READY and logs why', async () => {
    const errors: string[] = [];
    const log = (obj: Record<string, unknown>, msg: string): void => {
      errors.push(`${msg} ${obj.err instanceof Error ? causeChain(obj.err) : ''}`);
    };
    // Built afresh, not spread from the credentials: kafkajs stores its SCRAM authenticator,
    // bound to the password it first saw, on the sasl object it is given (the verifier's feed
    // passes it through), and a spread copy would carry that authenticator along.
    const { mechanism, username } = cluster().credentials.verifier;
    const refused = verifier(
      { mechanism, username, password: 'not-the-password' },
      { debug: () => undefined, info: () => undefined, warn: log, error: log },
    );
    const jwt = await token('u-refused', Math.floor(Date.now() / 1000) - 3);
    await waitFor(() => errors.some((line) => /authentication failed/i.test(line)), {
      timeoutMs: REFUSAL_BOUND_MS,
      description: 'a logged SASL authentication failure',
    });
    expect(await outcome(refused, jwt)).toBe('NOT_READY');
  });

  it('lets user-service publish and verifier apply: the revoked token is refused, nothing forged landed', async () => {
    const reader = verifier(cluster().credentials.verifier);
    await reader.ready();
    const now = Math.floor(Date.now() / 1000);
    const revoked = await token('u-revoked', now - 3);
    expect(await outcome(reader, revoked)).toBe('ok');

    const writer = publisher(cluster().credentials.userService);
    await writer.publish([
      message({
        kind: 'subject',
        sub: 'u-revoked',
        cutoff: Date.now(),
        reason: 'logout-all',
        actor: 'secured-test',
        iss: ISSUER,
      }),
    ]);
    await waitFor(async () => (await outcome(reader, revoked)) === 'TOKEN_REVOKED', {
      timeoutMs: 20_000,
      description: 'the revoked token refused by the verifier',
    });
    // The round trip above went through the topic: had any forged global cutoff of the earlier
    // cases landed, the replay would hold it and this token, issued before it, would be refused.
    expect(await outcome(reader, bystander)).toBe('ok');
  });

  it('refuses the gateway principal writing the user-service topic: TOPIC_AUTHORIZATION_FAILED, nothing lands', async () => {
    const forged = forgedBrake();
    const started = Date.now();
    const error = await publisher(cluster().credentials.gateway, cluster().topic)
      .publish([forged])
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    const ms = Date.now() - started;
    console.info(
      `[secured] gateway principal's produce to ${cluster().topic} refused after ${ms} ms: ${causeChain(error)}`,
    );
    expect(error).toBeInstanceOf(PublishFailedError);
    // Its producer is idempotent: InitProducerId passes (WRITE on its own topic implies
    // IdempotentWrite), the Produce to a topic it may not write does not.
    expect(causeChain(error)).toMatch(/TOPIC_AUTHORIZATION_FAILED/);
    expect(ms).toBeLessThan(REFUSAL_BOUND_MS);

    // Nothing landed: the whole topic, read to its end as admin, holds no such record ...
    const audit = await startTopicReader(cluster().brokers, cluster().topic, {
      clientId: 'secured-test-audit',
      groupId: uniqueTopic('secured-audit'),
      sasl: cluster().credentials.admin,
    });
    try {
      await audit.caughtUp(DELIVERY_BOUND_MS);
      expect(audit.records.filter((r) => r.value?.toString().includes(forged.eventId))).toEqual([]);
    } finally {
      await audit.close();
    }
    // ... and the verifier, having read a later rule of the topic, still accepts earlier tokens.
    await readPast('user-service');
    expect(await outcome(team, bystander)).toBe('ok');
  });

  it('lands what the gateway principal forges in its own topic, and the verifier refuses it: SOURCE_NOT_AUTHORIZED', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ours = await token('u-gateway-forgery', now - 30, { sgen: 0, ggen: 0 });
    const theirs = await providerToken('p-gateway-forgery', now - 30);
    const unauthorized = refused('SOURCE_NOT_AUTHORIZED');
    const total = team.stats().refused.total;

    // The user-service's issuer never speaks from the gateway's topic: not even a subject rule.
    const foreign = [
      await write('gateway', forgedBrake()),
      await write(
        'gateway',
        message({
          kind: 'subject',
          sub: 'u-gateway-forgery',
          cutoff: Date.now(),
          generation: 999_999,
          reason: 'ban',
          actor: 'intruder',
          iss: ISSUER,
        }),
      ),
    ];
    // The provider's issuer does speak from there, but its grant names no brake kind.
    foreign.push(await write('gateway', forgedBrake(PROVIDER)));
    await refusedMore('SOURCE_NOT_AUTHORIZED', unauthorized, 3);
    expect(team.stats().refused.total).toBe(total + 3);

    await readPastAll('gateway', foreign);
    expect(await outcome(team, ours)).toBe('ok');
    expect(await outcome(team, bystander)).toBe('ok');
    expect(await outcome(team, theirs)).toBe('ok');
  });

  it("refuses the user-service principal's unsigned brakes (BRAKE_UNSIGNED) and brakes signed by a key not in its JWKS (BRAKE_SIGNATURE_INVALID)", async () => {
    const earlier = await token('u-brake-forgery', Math.floor(Date.now() / 1000) - 30, {
      sgen: 0,
      ggen: 0,
    });
    const unsigned = refused('BRAKE_UNSIGNED');
    const invalid = refused('BRAKE_SIGNATURE_INVALID');

    const acks = [
      await write('user-service', forgedBrake()),
      await write('user-service', forgedKeyRule()),
    ];
    await refusedMore('BRAKE_UNSIGNED', unsigned, 2);

    const signed = async (
      record: { key: string; value: string },
      signature: Promise<string>,
    ): Promise<RecordAck> =>
      write('user-service', record, {
        headers: { [REVOCATION_SIGNATURE_HEADER]: await signature },
      });
    const global = forgedBrake();
    const key = forgedKeyRule();
    const other = forgedBrake();
    acks.push(
      // Signed by a key of the forger's own that claims the active key's kid.
      await signed(global, signBrake(forgerKey, global.value)),
      await signed(key, signBrake(forgerKey, key.value)),
      // A genuine signature lifted from another brake: it covers other bytes.
      await signed(other, signBrake(issuerKey, forgedBrake().value)),
    );
    await refusedMore('BRAKE_SIGNATURE_INVALID', invalid, 3);

    await readPastAll('user-service', acks);
    expect(await outcome(team, earlier)).toBe('ok');
    expect(await outcome(team, bystander)).toBe('ok');
  });

  it('applies a subject rule the user-service principal forges only until its cutoff + tolerance: bounded damage', async () => {
    const sub = 'u-forged-subject';
    // A cutoff a moment ago: a token issued after cutoff + tolerance must not lie further in
    // the future than the tolerance either, or the verifier refuses its iat (CLAIM_INVALID).
    const cutoff = Date.now() - 2_000;
    const cutoffSeconds = Math.floor(cutoff / 1000);
    const before = await token(sub, cutoffSeconds - 30, { sgen: 3, ggen: 0 });
    const after = await token(sub, cutoffSeconds + TOLERANCE_MS / 1000 + 1, { sgen: 3, ggen: 0 });
    expect(await outcome(team, before)).toBe('ok');
    expect(await outcome(team, after)).toBe('ok');
    const refusedBefore = team.stats().refused.total;

    await write(
      'user-service',
      message({
        kind: 'subject',
        sub,
        cutoff,
        generation: 999_999,
        reason: 'ban',
        actor: 'intruder',
        iss: ISSUER,
      }),
    );
    // It comes from a producer the issuer authorizes, for a kind that needs no signature: it
    // counts, and the subject's earlier token is refused ...
    await waitFor(async () => (await outcome(team, before)) === 'TOKEN_REVOKED', {
      timeoutMs: DELIVERY_BOUND_MS,
      description: 'the forged subject rule applied',
    });
    expect(team.stats().refused.total).toBe(refusedBefore);
    // ... but not a token issued after its window, though its sgen (3) is far below 999999:
    // one re-login undoes the forgery.
    expect(await outcome(team, after)).toBe('ok');
  });

  // Last: a landed global brake refuses every earlier token of the issuer.
  it('applies a brake the user-service principal signs with its JWKS key: a token issued before it is refused', async () => {
    const earlier = await token('u-before-brake', Math.floor(Date.now() / 1000) - 30, {
      sgen: 0,
      ggen: 0,
    });
    expect(await outcome(team, earlier)).toBe('ok');
    const refusedBefore = team.stats().refused.total;
    const brake = message({
      kind: 'global',
      cutoff: Date.now(),
      generation: 1,
      reason: 'emergency',
      actor: 'secured-test',
      iss: ISSUER,
    });
    // Through the publisher, as the user-service's relay sends it: the signature in a header.
    await publisher(cluster().credentials.userService, cluster().topic).publish([
      {
        ...brake,
        headers: { [REVOCATION_SIGNATURE_HEADER]: await signBrake(issuerKey, brake.value) },
      },
    ]);
    await waitFor(async () => (await outcome(team, earlier)) === 'TOKEN_REVOKED', {
      timeoutMs: DELIVERY_BOUND_MS,
      description: 'the signed brake applied',
    });
    expect(await outcome(team, bystander)).toBe('TOKEN_REVOKED');
    expect(team.stats().refused.total).toBe(refusedBefore);
  });

  it('shows the user-service principal which verifiers applied its revocation (receipts), and the gateway principal nothing', async () => {
    const receipts = connectOperator({
      brokers: cluster().brokers,
      sasl: { ...cluster().credentials.userService },
      clientId: 'secured-test-receipts',
    });
    const outsider = connectOperator({
      brokers: cluster().brokers,
      sasl: { ...cluster().credentials.gateway },
      clientId: 'secured-test-outsider',
    });
    try {
      const event = message({
        kind: 'session',
        sid: `s-${randomUUID()}`,
        reason: 'logout',
        actor: 'u-1',
        iss: ISSUER,
      });
      const [ack] = await writerOf('user-service').send(cluster().topic, [event], { acks: -1 });
      if (ack === undefined) throw new Error('no acknowledgement');
      const outcome = await waitForApplied(receipts, {
        topic: cluster().topic,
        target: eventTarget(ack.partition, Number(ack.baseOffset)),
        timeoutMs: DELIVERY_BOUND_MS,
      });
      expect(outcome.complete).toBe(true);
      expect(outcome.applied.map((v) => v.clientId)).toContain('revocation-verifier');
      // Groups it may not describe are not listed to it, and the topic's offsets are refused.
      expect(await outsider.groupsReading(cluster().topic)).toEqual([]);
      await expect(readFleet(outsider, { topic: cluster().topic })).rejects.toThrow(
        /not authorized/i,
      );
    } finally {
      await receipts.close();
      await outsider.close();
    }
  });
});
