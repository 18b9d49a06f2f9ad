import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.js';
import { ConsumerSupervisor } from './consumer-supervisor.js';
import { FakeClient, batchOf } from './feed-client.fixture.js';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

function setup(options: { prepare?: () => Promise<'start' | 'refuse'> } = {}) {
  const client = new FakeClient();
  const delivered: string[] = [];
  const retiredGroups: string[] = [];
  let contacts = 0;
  let running = 0;
  const supervisor = new ConsumerSupervisor({
    client,
    clientId: 'verifier-test',
    topics: ['auth.revocations'],
    logger: silentLogger,
    random: () => 0.5, // no jitter: the backoff is exactly its base
    prepare: options.prepare ?? (() => Promise.resolve('start')),
    onRunning: () => (running += 1),
    onGroupRetired: (groupId) => retiredGroups.push(groupId),
    events: {
      contact: () => (contacts += 1),
      joined: () => {},
      batchStarting: () => {},
      emptyBatchEnded: () => {},
      batch: (batch) => {
        delivered.push(...batch.records.map((r) => `${batch.topic}@${r.offset}`));
        return Promise.resolve();
      },
    },
  });
  return {
    client,
    supervisor,
    delivered,
    retiredGroups,
    contacts: () => contacts,
    running: () => running,
  };
}

describe('ConsumerSupervisor', () => {
  it('starts one consumer and reports it running', async () => {
    const { client, supervisor, running } = setup();
    supervisor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.consumers).toHaveLength(1);
    expect(client.last().running).toBe(true);
    expect(supervisor.state).toBe('running');
    expect(running()).toBe(1);
    expect(() => supervisor.start()).toThrow(/twice/);
  });

  it('doubles the pause between failed starts from 250 ms and caps it at 10 s', async () => {
    const { client, supervisor } = setup();
    client.otherwise = 'fails';
    supervisor.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.gaps().slice(0, 9)).toEqual([
      250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000,
    ]);
    expect(supervisor.state).toBe('backing-off');
    // Every consumer that failed to start was disconnected; the same group is tried again.
    expect(client.consumers.every((c) => c.disconnects === 1)).toBe(true);
    expect(new Set(client.consumers.map((c) => c.options.groupId)).size).toBe(1);
  });

  it('keeps retrying until a start succeeds, then stops creating consumers', async () => {
    const { client, supervisor, running } = setup();
    client.plan.push('fails', 'fails', 'fails');
    supervisor.start();
    await vi.advanceTimersByTimeAsync(250 + 500 + 1_000);
    expect(client.consumers).toHaveLength(4);
    expect(supervisor.state).toBe('running');
    expect(running()).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.consumers).toHaveLength(4);
  });

  it('counts a failing prepare as a failed start', async () => {
    let fail = true;
    const { client, supervisor } = setup({
      prepare: () => (fail ? Promise.reject(new Error('no admin')) : Promise.resolve('start')),
    });
    supervisor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.consumers).toHaveLength(0);
    fail = false;
    await vi.advanceTimersByTimeAsync(250);
    expect(client.consumers).toHaveLength(1);
    expect(supervisor.state).toBe('running');
  });

  it('restarts a consumer that crashed for good, at once, and leaves a crash its client restarts to the client', async () => {
    const { client, supervisor, running } = setup();
    supervisor.start();
    await vi.advanceTimersByTimeAsync(0);
    const first = client.last();

    first.report.crashed(new Error('leader moved'), true);
    await vi.advanceTimersByTimeAsync(0);
    expect(client.consumers).toHaveLength(1);
    expect(first.disconnects).toBe(0);
    expect(first.options.mayRestart()).toBe(true);

    client.plan.push('fails');
    first.report.crashed(new Error('not authorized'), false);
    await vi.advanceTimersByTimeAsync(0);
    expect(first.disconnects).toBe(1);
    expect(client.consumers).toHaveLength(2);
    // After a crash the first retry waits one step longer than at start: 500 ms, not 250.
    await vi.advanceTimersByTimeAsync(499);
    expect(client.consumers).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.consumers).toHaveLength(3);
    expect(client.last().options.groupId).toBe(first.options.groupId);
    expect(supervisor.state).toBe('running');
    expect(running()).toBe(2);
  });

  it('replaces a consumer stuck in its client’s retries, in a new group, when the broker answers again', async () => {
    const { client, supervisor } = setup();
    client.plan.push('hangs');
    supervisor.start();
    await vi.advanceTimersByTimeAsync(30_000);
    const stuck = client.last();
    expect(supervisor.state).toBe('starting');

    supervisor.brokerReturned();
    await vi.advanceTimersByTimeAsync(0);
    expect(stuck.disconnects).toBe(1);
    expect(client.consumers).toHaveLength(2);
    const fresh = client.last();
    expect(fresh.options.groupId).not.toBe(stuck.options.groupId);
    expect(supervisor.state).toBe('running');
    expect(supervisor.groupIds()).toEqual([stuck.options.groupId, fresh.options.groupId]);
  });

  it('ignores what a retired consumer reports, retires it again, and hears the current one', async () => {
    const { client, supervisor, delivered, contacts } = setup();
    supervisor.start();
    await vi.advanceTimersByTimeAsync(0);
    const old = client.last();
    supervisor.brokerReturned();
    await vi.advanceTimersByTimeAsync(0);
    const current = client.last();
    expect(old.disconnects).toBe(1);

    // kafkajs brought the old consumer back (a crash restart scheduled before its disconnect).
    expect(old.options.mayRestart()).toBe(false);
    old.report.contact();
    old.report.joined(() => {});
    await old.report.batch(batchOf('auth.revocations', 0, [null, null]));
    old.report.crashed(new Error('late'), false);
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered).toEqual([]);
    expect(contacts()).toBe(0);
    expect(old.disconnects).toBeGreaterThanOrEqual(3);
    expect(client.consumers).toHaveLength(2);

    current.report.contact();
    await current.report.batch(batchOf('auth.revocations', 0, [null, null]));
    expect(delivered).toEqual(['auth.revocations@0', 'auth.revocations@1']);
    expect(contacts()).toBe(1);
    expect(current.options.mayRestart()).toBe(true);
  });

  it('ends a backoff pause when the broker answers again, and starts the backoff over', async () => {
    const { client, supervisor } = setup();
    client.plan.push('fails', 'fails', 'fails', 'fails');
    supervisor.start();
    await vi.advanceTimersByTimeAsync(250 + 500 + 100); // third attempt failed; pausing 1 s
    expect(client.consumers).toHaveLength(3);
    expect(supervisor.state).toBe('backing-off');

    supervisor.brokerReturned();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.consumers).toHaveLength(4);
    // Woken, not replaced: the same group; the failed attempt pauses 250 ms again, not 2 s.
    expect(client.last().options.groupId).toBe(client.consumers[0]?.options.groupId);
    await vi.advanceTimersByTimeAsync(250);
    expect(client.consumers).toHaveLength(5);
    expect(supervisor.state).toBe('running');
  });

  it('never creates a consumer when prepare refuses, whatever the broker does', async () => {
    const { client, supervisor, running } = setup({ prepare: () => Promise.resolve('refuse') });
    supervisor.start();
    await vi.advanceTimersByTimeAsync(0);
    supervisor.brokerReturned();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(supervisor.state).toBe('refused');
    expect(client.consumers).toHaveLength(0);
    expect(running()).toBe(0);
    expect(supervisor.groupIds()).toHaveLength(1);
  });

  it('reports a replaced consumer’s group retired once it left, never the group a restart reuses', async () => {
    const { client, supervisor, retiredGroups } = setup();
    supervisor.start();
    await vi.advanceTimersByTimeAsync(0);
    const first = client.last();
    // A crash for good: the restart joins the same group, which stays in use.
    first.report.crashed(new Error('not authorized'), false);
    await vi.advanceTimersByTimeAsync(1_000);
    const restarted = client.last();
    expect(restarted.options.groupId).toBe(first.options.groupId);
    expect(retiredGroups).toEqual([]);

    restarted.disconnectFails = true;
    supervisor.brokerReturned();
    await vi.advanceTimersByTimeAsync(0);
    // Its disconnect failed, yet it is gone from the supervisor: the group is reported (the
    // feed's deletion retries until the coordinator drops the member).
    expect(retiredGroups).toEqual([first.options.groupId]);

    // Its client revived it and it rejoined: retired again, and the group reported again.
    restarted.join();
    await vi.advanceTimersByTimeAsync(0);
    expect(retiredGroups).toEqual([first.options.groupId, first.options.groupId]);
    await supervisor.close();
    expect(retiredGroups).toHaveLength(2);
  });

  it('reports the group of a consumer that failed to start once a reread moves on', async () => {
    const { client, supervisor, retiredGroups } = setup();
    client.plan.push('fails');
    supervisor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(supervisor.state).toBe('backing-off');
    const failed = client.last();
    supervisor.reread();
    await vi.advanceTimersByTimeAsync(0);
    expect(retiredGroups).toEqual([failed.options.groupId]);
    expect(client.last().options.groupId).not.toBe(failed.options.groupId);
    expect(supervisor.state).toBe('running');
  });

  it('retires the running consumer on close and starts nothing after', async () => {
    const { client, supervisor } = setup();
    supervisor.start();
    await vi.advanceTimersByTimeAsync(0);
    await supervisor.close();
    expect(client.last().disconnects).toBe(1);
    expect(supervisor.state).toBe('closed');
    client.last().report.crashed(new Error('late'), false);
    supervisor.brokerReturned();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.consumers).toHaveLength(1);
    expect(client.last().options.mayRestart()).toBe(false);
  });

  it('stops a pending restart on close', async () => {
    const { client, supervisor } = setup();
    client.otherwise = 'fails';
    supervisor.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(supervisor.state).toBe('backing-off');
    await supervisor.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.consumers).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
