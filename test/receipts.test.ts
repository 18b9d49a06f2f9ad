/**
 * Receipts on the run's real broker: three verifiers, each in a process of its own and each its
 * own consumer group, commit the position they applied; the operator package reads those
 * receipts from the brokers alone. One verifier is frozen (SIGSTOP: its connections stay open,
 * its group keeps it as a member, it applies nothing), and the receipt names it as the laggard
 * until it runs again.
 */
import { randomUUID } from 'node:crypto';
import {
  connectOperator,
  eventTarget,
  readFleet,
  receiptOf,
  waitForApplied,
} from '@revocation-fabric/operator';
import type { OperatorKafka } from '@revocation-fabric/operator';
import { createEvent, encodeEvent } from '@revocation-fabric/protocol';
import { createRevocationTopic, openTopicWriter, uniqueTopic } from '@revocation-fabric/testkit';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FleetCommand, FleetReport } from './support/fleet-verifiers.js';
import { WorkerProcess } from './support/worker-process.js';

const brokers = inject('kafkaBrokers');
const ISSUER = 'https://auth.receipts.test';
const READY_TIMEOUT_MS = 40_000;
/** Long enough for a busy 2-core machine; the wait ends as soon as every receipt is in. */
const APPLIED_TIMEOUT_MS = 30_000;
/** How long the frozen verifier is given to (not) apply: it cannot, whatever the bound. */
const PAUSED_WAIT_MS = 2_000;

type VerifierProcess = WorkerProcess<FleetCommand, FleetReport>;

describe('receipts: which live verifiers applied an event', () => {
  const topic = uniqueTopic('receipts');
  const namePrefix = uniqueTopic('receipt-verifier');
  let processes: VerifierProcess[] = [];
  let operator: OperatorKafka;
  let writer: Awaited<ReturnType<typeof openTopicWriter>>;

  const publish = async (sid: string) => {
    const event = createEvent({
      kind: 'session',
      sid,
      reason: 'logout',
      actor: 'receipts-test',
      iss: ISSUER,
    });
    const [ack] = await writer.send(topic, [encodeEvent(event)], { acks: -1 });
    if (ack === undefined) throw new Error('no acknowledgement');
    return { partition: ack.partition, offset: Number(ack.baseOffset) };
  };
  const clientIdOf = (p: number) => `${namePrefix}-p${p}-v0`;

  beforeAll(async () => {
    await createRevocationTopic(brokers, topic);
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'receipts-k1', alg: 'ES256' };
    processes = [0, 1, 2].map((p) =>
      WorkerProcess.fork<FleetCommand, FleetReport>(
        new URL('./support/fleet-verifiers.ts', import.meta.url),
        `receipts-p${p}`,
      ),
    );
    processes.forEach((worker, p) =>
      worker.send({
        type: 'start',
        setup: {
          brokers,
          topic,
          namePrefix: `${namePrefix}-p${p}`,
          verifiers: 1,
          issuer: ISSUER,
          audience: 'receipts',
          jwk,
        },
      }),
    );
    await Promise.all(processes.map((worker) => worker.next('ready', READY_TIMEOUT_MS)));
    operator = connectOperator({ brokers: [...brokers], clientId: 'receipts-test' });
    writer = await openTopicWriter(brokers, { clientId: 'receipts-test' });
  });

  afterAll(async () => {
    for (const worker of processes) worker.resume();
    await writer?.close();
    await operator?.close();
    await Promise.all(processes.map((worker) => worker.close()));
  });

  it('lists every live verifier of the topic, and only those', async () => {
    const fleet = await readFleet(operator, { topic });
    expect(fleet.verifiers.map((v) => v.clientId).sort()).toEqual([0, 1, 2].map(clientIdOf));
    expect(fleet.verifiers.every((v) => v.groupId.startsWith(`${v.clientId}-`))).toBe(true);
  });

  it('answers "applied by 3 of 3" once each verifier applied the event', async () => {
    const position = await publish(`s-${randomUUID()}`);
    const outcome = await waitForApplied(operator, {
      topic,
      target: eventTarget(position.partition, position.offset),
      timeoutMs: APPLIED_TIMEOUT_MS,
    });
    expect(outcome).toMatchObject({ complete: true, of: 3, pending: [], gone: [] });
    expect(outcome.applied.map((v) => v.clientId).sort()).toEqual([0, 1, 2].map(clientIdOf));
    // The receipt stays readable afterwards, from a plain fleet read.
    const receipt = receiptOf(
      await readFleet(operator, { topic }),
      eventTarget(position.partition, position.offset),
    );
    expect(receipt).toMatchObject({ complete: true, of: 3 });
  });

  it('names a frozen verifier as the laggard until it runs again', async () => {
    const frozen = processes[2];
    if (frozen === undefined) throw new Error('no third process');
    frozen.pause();
    const position = await publish(`s-${randomUUID()}`);
    const target = eventTarget(position.partition, position.offset);
    const partial = await waitForApplied(operator, { topic, target, timeoutMs: PAUSED_WAIT_MS });
    expect(partial.complete).toBe(false);
    expect(partial.of).toBe(3);
    expect(partial.applied.map((v) => v.clientId).sort()).toEqual([clientIdOf(0), clientIdOf(1)]);
    expect(partial.pending).toEqual([
      expect.objectContaining({ clientId: clientIdOf(2), behind: 1 }),
    ]);
    expect(partial.ms).toBeGreaterThanOrEqual(PAUSED_WAIT_MS);

    frozen.resume();
    const complete = await waitForApplied(operator, {
      topic,
      target,
      timeoutMs: APPLIED_TIMEOUT_MS,
    });
    expect(complete).toMatchObject({ complete: true, of: 3, pending: [] });
  });

  it('counts a verifier that left while awaited as gone, not late', async () => {
    const leaving = processes[1];
    if (leaving === undefined) throw new Error('no second process');
    const stayed = processes[0];
    stayed?.pause();
    const verifiers = (await readFleet(operator, { topic })).verifiers;
    const position = await publish(`s-${randomUUID()}`);
    // The leaving verifier closes its feed: its group is deleted on close.
    const waiting = waitForApplied(operator, {
      topic,
      target: eventTarget(position.partition, position.offset),
      verifiers,
      timeoutMs: 6_000,
    });
    await leaving.close();
    const outcome = await waiting;
    stayed?.resume();
    expect(outcome.pending.map((v) => v.clientId)).toEqual([clientIdOf(0)]);
    // Applied before it left, or gone: never late.
    expect([...outcome.applied, ...outcome.gone].map((v) => v.clientId)).toContain(clientIdOf(1));
    expect(outcome.pending.map((v) => v.clientId)).not.toContain(clientIdOf(1));
  });
});
