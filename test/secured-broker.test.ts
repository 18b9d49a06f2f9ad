/**
 * Producer authorization on the real broker: a secured kafka-local cluster of this file's own
 * (SASL/SCRAM-SHA-512, StandardAuthorizer, the revocation ACLs), one for every case because a
 * start costs seconds. A forged global cutoff is what an intruder would write; every refusal
 * case tries exactly that, and the last case proves none of them landed.
 */
import { randomUUID } from 'node:crypto';
import { createEvent, encodeEvent, revocationTopicSpec } from '@revocation-fabric/protocol';
import type { RevocationEventInput } from '@revocation-fabric/protocol';
import { PublishFailedError } from '@revocation-fabric/publisher';
import { kafkaPublisher } from '@revocation-fabric/publisher/kafka';
import type { RevocationPublisher } from '@revocation-fabric/publisher';
import type { KafkaSasl } from '@revocation-fabric/publisher/kafka';
import {
  faultKafkaSupport,
  createTopic,
  openTopicWriter,
  startSecureKafka,
  waitFor,
} from '@revocation-fabric/testkit';
import type { SecureKafka } from '@revocation-fabric/testkit';
import { VerifierError, createVerifier } from '@revocation-fabric/verifier';
import type { Verifier, VerifierLogger } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const faults = await faultKafkaSupport();
if (!faults.supported) console.warn(`[secured] skipped: ${faults.reason}`);

const ISSUER = 'https://auth.secured.test';
const AUDIENCE = 'revocation-fabric';
/** A refusal must surface well inside this (the publisher retries 3 times, 2 s at most each). */
const REFUSAL_BOUND_MS = 20_000;

describe.skipIf(!faults.supported)('the revocation topic on a secured broker', () => {
  let kafka: SecureKafka | undefined;
  let signer: { kid: string; privateKey: CryptoKey; jwk: JWK };
  /** Issued before any forged cutoff: a landed one would refuse it. */
  let bystander: string;
  const publishers: RevocationPublisher[] = [];
  const verifiers: Verifier[] = [];

  beforeAll(async () => {
    const started = Date.now();
    kafka = await startSecureKafka({ name: 'secured-broker-test' });
    console.info(`[secured] secured 1-node cluster up after ${Date.now() - started} ms`);
    const spec = revocationTopicSpec({ topic: kafka.topic, maxTokenLifetimeMs: 15 * 60_000 });
    await createTopic(kafka.brokers, {
      topic: kafka.topic,
      partitions: spec.numPartitions,
      replicationFactor: 1,
      configEntries: spec.configEntries,
      sasl: kafka.credentials.admin,
    });
    const kid = randomUUID();
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    signer = { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
    bystander = await token('u-bystander', Math.floor(Date.now() / 1000) - 60);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(verifiers.map((verifier) => verifier.close()));
    await Promise.all(publishers.map((publisher) => publisher.close()));
    await kafka?.close();
  }, 60_000);

  function cluster(): SecureKafka {
    if (kafka === undefined) throw new Error('the secured cluster did not start');
    return kafka;
  }

  function publisher(sasl: KafkaSasl | undefined): RevocationPublisher {
    const made = kafkaPublisher({
      brokers: cluster().brokers,
      topic: cluster().topic,
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

  function token(sub: string, issuedAtSeconds: number): Promise<string> {
    return new SignJWT({ sid: randomUUID(), jti: randomUUID(), roles: ['user'] })
      .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(sub)
      .setIssuedAt(issuedAtSeconds)
      .setExpirationTime(issuedAtSeconds + 300)
      .sign(signer.privateKey);
  }

  function verifier(sasl: KafkaSasl, logger?: VerifierLogger): Verifier {
    const made = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      jwks: { keys: [signer.jwk] },
      revocations: kafkaRevocations({ brokers: cluster().brokers, topic: cluster().topic, sasl }),
      ...(logger === undefined ? {} : { logger }),
    });
    verifiers.push(made);
    return made;
  }

  async function outcome(target: Verifier, jwt: string): Promise<string> {
    try {
      await target.verify(jwt);
      return 'ok';
    } catch (error) {
      if (error instanceof VerifierError) return error.code;
      throw error;
    }
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
    const refused = verifier(
      { ...cluster().credentials.verifier, password: 'not-the-password' },
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
});
