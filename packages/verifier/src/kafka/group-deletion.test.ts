import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.js';
import { FakeClient } from './feed-client.fixture.js';
import {
  RETIRED_GROUP_DELETION_DELAYS_MS,
  RetiredGroups,
  deleteConsumerGroups,
} from './group-deletion.js';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

/** A client whose one consumer, in group `old`, could not leave it (its disconnect failed). */
async function lingering() {
  const client = new FakeClient();
  const consumer = client.consumer({
    groupId: 'old',
    events: {} as never,
    mayRestart: () => false,
  });
  await consumer.connect();
  consumer.disconnectFails = true;
  await consumer.disconnect().catch(() => {});
  const retired = new RetiredGroups({
    admin: () => client.admin(),
    logger: silentLogger,
    random: () => 0.5,
  });
  return { client, consumer, retired };
}

describe('RetiredGroups', () => {
  it('deletes a retired group soon after, and tells close what is left', async () => {
    const client = new FakeClient();
    const retired = new RetiredGroups({
      admin: () => client.admin(),
      logger: silentLogger,
      random: () => 0.5,
    });
    retired.add('old');
    await vi.advanceTimersByTimeAsync(RETIRED_GROUP_DELETION_DELAYS_MS[0] ?? 0);
    expect(client.deletedGroups()).toEqual(['old']);
    expect(client.admins.every((admin) => !admin.connected)).toBe(true);
    expect(retired.remaining(['old', 'current'])).toEqual(['current']);
  });

  it('tries a group that still has a member again later, and deletes it once the member is gone', async () => {
    const { client, consumer, retired } = await lingering();
    retired.add('old');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.admins).toHaveLength(1);
    expect(client.deletedGroups()).toEqual([]);
    // The coordinator drops the member when its session times out.
    consumer.sessionExpired();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(client.deletedGroups()).toEqual(['old']);
    expect(retired.remaining(['old'])).toEqual([]);
  });

  it('leaves a group it cannot delete to close, without throwing or keeping timers', async () => {
    const { client, consumer, retired } = await lingering();
    retired.add('old');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(client.admins).toHaveLength(RETIRED_GROUP_DELETION_DELAYS_MS.length);
    expect(client.deletedGroups()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    await retired.stop();
    // close() deletes what is left.
    consumer.sessionExpired();
    await deleteConsumerGroups(client.admin(), retired.remaining(['old']), {
      logger: silentLogger,
    });
    expect(client.deletedGroups()).toEqual(['old']);
  });

  it('cancels the attempts to come when stopped', async () => {
    const client = new FakeClient();
    const retired = new RetiredGroups({ admin: () => client.admin(), logger: silentLogger });
    retired.add('old');
    await retired.stop();
    retired.add('older');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.admins).toHaveLength(0);
    expect(retired.remaining(['old', 'older'])).toEqual(['old', 'older']);
  });
});
