import type { VerifierLogger } from '../logger.js';
import type { FeedAdmin } from './client.js';

/** How long a feed's close waits for its consumer groups' deletion, ms. */
export const GROUP_DELETION_TIMEOUT_MS = 5_000;

/**
 * Deletes the consumer groups a feed used, then disconnects the admin, within
 * `timeoutMs`. The groups hold no offsets and would expire on their own; deleting them keeps
 * the broker's group list free of one entry per restarted instance. Best effort: a failure is
 * logged (debug) and swallowed.
 *
 * @example
 * ```ts
 * await deleteConsumerGroups(client.admin({ retries: 1 }), supervisor.groupIds(), { logger });
 * ```
 */
export async function deleteConsumerGroups(
  admin: FeedAdmin,
  groupIds: readonly string[],
  options: { readonly logger: VerifierLogger; readonly timeoutMs?: number | undefined },
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await admin.connect();
        await admin.deleteGroups(groupIds);
      })(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('timed out')),
          options.timeoutMs ?? GROUP_DELETION_TIMEOUT_MS,
        );
        timer.unref();
      }),
    ]);
  } catch (error) {
    options.logger.debug({ err: error, groupIds }, 'could not delete the consumer groups');
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}
