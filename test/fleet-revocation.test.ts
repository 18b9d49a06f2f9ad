/**
 * A small fleet on the run's real broker: 20 verifiers in 4 child processes, each verifier with
 * its own Kafka feed and so its own consumer group, as every pod of every service has one (the
 * fabric broadcasts). One revocation, published as the user-service's relay publishes it, must
 * reach every one of them. Nothing asserts a latency: what a fleet costs the broker as it grows,
 * and how fast the farthest verifier applies an event, are measured in bench/.
 */
import { randomUUID } from 'node:crypto';
import { createEvent, encodeEvent } from '@revocation-fabric/protocol';
import {
  consumerGroups,
  createRevocationTopic,
  openTopicWriter,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import type { FleetCommand, FleetReport, Verdict } from './support/fleet-verifiers.js';
import { WorkerProcess } from './support/worker-process.js';

const brokers = inject('kafkaBrokers');
const PROCESSES = 4;
const VERIFIERS_PER_PROCESS = 5;
const FLEET_SIZE = PROCESSES * VERIFIERS_PER_PROCESS;
const ISSUER = 'https://auth.fleet.test';
const AUDIENCE = 'fleet-service';
const KID = 'fleet-k1';
/** A process starting, its verifiers joining their groups and replaying the topic, ms. */
const READY_TIMEOUT_MS = 40_000;
/** A process answering a verification request for its verifiers, ms. */
const VERDICTS_TIMEOUT_MS = 10_000;
/** The revocation reaching every verifier, ms. */
const REVOKED_TIMEOUT_MS = 30_000;

type FleetProcess = WorkerProcess<FleetCommand, FleetReport>;

interface Issuer {
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function fleetIssuer(): Promise<Issuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: KID, alg: 'ES256' } };
}

/** An access token of one session, signed as the user-service signs them. */
function accessToken(issuer: Issuer, sid: string): Promise<string> {
  return new SignJWT({ sid, jti: randomUUID(), roles: ['player'] })
    .setProtectedHeader({ alg: 'ES256', kid: KID, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(`user-${sid}`)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(issuer.privateKey);
}

/** Every verifier's verdict on `token`, each judged in its own process. */
async function verdicts(fleet: readonly FleetProcess[], token: string): Promise<Verdict[]> {
  const answers = await Promise.all(
    fleet.map((worker) => {
      worker.send({ type: 'verify', token });
      return worker.next('verdicts', VERDICTS_TIMEOUT_MS);
    }),
  );
  return answers.flatMap((answer) => answer.verdicts);
}

/** The fleet's consumer groups (`${verifier name}-${uuid}`) the broker lists. */
async function fleetGroups(namePrefix: string): Promise<string[]> {
  return (await consumerGroups(brokers)).filter((group) => group.startsWith(`${namePrefix}-`));
}

/** What `verdicts` answers when every verifier of `names` judges a token `outcome`. */
const unanimous = (names: readonly string[], outcome: Verdict['outcome']): Verdict[] =>
  names.map((verifier) => ({ verifier, outcome }));

const verifierOfGroup = (group: string): string => group.replace(/-[0-9a-f-]{36}$/, '');

describe('a fleet of verifiers in several processes', () => {
  it('rejects a session revoked once in all 20 verifiers of 4 processes, each its own consumer group', async () => {
    const topic = uniqueTopic('fleet');
    await createRevocationTopic(brokers, topic);
    const namePrefix = uniqueTopic('fleet-verifier');
    const issuer = await fleetIssuer();
    const sid = `fleet-session-${randomUUID()}`;
    const [revoked, bystander] = await Promise.all([
      accessToken(issuer, sid),
      accessToken(issuer, `fleet-bystander-${randomUUID()}`),
    ]);

    const fleet = Array.from({ length: PROCESSES }, (_, p) =>
      WorkerProcess.fork<FleetCommand, FleetReport>(
        new URL('./support/fleet-verifiers.ts', import.meta.url),
        `fleet-p${p}`,
      ),
    );
    const writer = await openTopicWriter(brokers, { clientId: 'fleet-test' });
    let exitCodes: (number | null)[];
    try {
      fleet.forEach((worker, p) =>
        worker.send({
          type: 'start',
          setup: {
            brokers,
            topic,
            namePrefix: `${namePrefix}-p${p}`,
            verifiers: VERIFIERS_PER_PROCESS,
            issuer: ISSUER,
            audience: AUDIENCE,
            jwk: issuer.jwk,
          },
        }),
      );
      const names = (
        await Promise.all(fleet.map((worker) => worker.next('ready', READY_TIMEOUT_MS)))
      ).flatMap((ready) => ready.verifiers);
      expect(new Set(names).size).toBe(FLEET_SIZE);

      // Ready and serving: a verifier still replaying would answer NOT_READY.
      expect(await verdicts(fleet, revoked)).toEqual(unanimous(names, 'ok'));
      // Broadcast: every verifier is a consumer group of its own on the coordinator.
      const groups = await fleetGroups(namePrefix);
      expect(new Set(groups).size).toBe(FLEET_SIZE);
      expect(groups.map(verifierOfGroup).sort()).toEqual([...names].sort());

      await writer.send(
        topic,
        [
          encodeEvent(
            createEvent({
              kind: 'session',
              sid,
              reason: 'logout',
              actor: 'fleet-test',
              iss: ISSUER,
            }),
          ),
        ],
        { acks: -1 },
      );

      const applied = (
        await Promise.all(
          fleet.flatMap((worker) =>
            Array.from({ length: VERIFIERS_PER_PROCESS }, () =>
              worker.next('revoked', REVOKED_TIMEOUT_MS),
            ),
          ),
        )
      ).map(({ verifier, kind, target }) => ({ verifier, kind, target }));
      expect(applied.map((rule) => rule.verifier).sort()).toEqual([...names].sort());
      expect(new Set(applied.map(({ kind, target }) => `${kind}:${target}`))).toEqual(
        new Set([`session:${sid}`]),
      );

      expect(await verdicts(fleet, revoked)).toEqual(unanimous(names, 'TOKEN_REVOKED'));
      // The rule cut that session only.
      expect(await verdicts(fleet, bystander)).toEqual(unanimous(names, 'ok'));
    } finally {
      await writer.close();
      // Each process closes its verifiers when disconnected; 0 means every close succeeded.
      exitCodes = await Promise.all(fleet.map((worker) => worker.close()));
    }
    expect(exitCodes).toEqual(Array(PROCESSES).fill(0));
    // Closing a feed deletes its group: a restarted fleet leaves no trail on the coordinator.
    await waitFor(async () => (await fleetGroups(namePrefix)).length === 0, {
      timeoutMs: 30_000,
      description: 'the fleet’s consumer groups deleted',
    });
  });
});
