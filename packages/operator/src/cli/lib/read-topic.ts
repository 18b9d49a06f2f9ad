/** Reading the whole topic, decoded, with progress on stderr. */
import type { OperatorKafka } from '../../kafka-client.js';
import { readRevocations } from '../../revocation-log.js';
import type { LoggedRevocation } from '../../revocation-log.js';
import type { CliIo } from '../io.js';
import { createProgress } from './output.js';

/**
 * Every record of `topic` up to its high-water marks; progress when stderr is a terminal or
 * `showProgress` (`--progress`).
 */
export async function readTopic(
  kafka: OperatorKafka,
  topic: string,
  io: CliIo,
  showProgress: boolean,
): Promise<LoggedRevocation[]> {
  let progress: ReturnType<typeof createProgress> | undefined;
  try {
    return await readRevocations(kafka, {
      topic,
      onStart: (ranges) => {
        const total = ranges.reduce((sum, { low, high }) => sum + Math.max(0, high - low), 0);
        progress = createProgress(io, { total, force: showProgress });
      },
      onRecord: () => progress?.tick(),
    });
  } finally {
    progress?.done();
  }
}
