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
  const ranges = await kafka.partitionRanges(topic);
  const total = ranges.reduce((sum, { low, high }) => sum + Math.max(0, high - low), 0);
  const progress = createProgress(io, { total, force: showProgress });
  try {
    return await readRevocations(kafka, { topic, onRecord: () => progress.tick() });
  } finally {
    progress.done();
  }
}
