/**
 * How a stream configuration a transmitter sends (SSF 1.0 §8.1.1) is read: member by member.
 * A member that fails its schema is read as absent and described; the stream is refused only
 * when its `stream_id` cannot be read. Whatever a stream answer says, the stream exists at the
 * transmitter: refusing all of it for one member orphaned a stream we had created, and every
 * later set-up failed on the same listing. What the gateway relies on is still checked where it
 * is used (a push delivery it cannot read is sent again, a poll stream without a readable
 * `endpoint_url` is not polled).
 */
import { z } from 'zod';
import { absentOrNull, describeIssues } from './transmitter-request.js';

const streamDelivery = z.looseObject({
  method: z.string(),
  endpoint_url: absentOrNull(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  authorization_header: absentOrNull(z.string()),
});
const streamConfiguration = z.looseObject({
  stream_id: z.string().min(1),
  iss: absentOrNull(z.string()),
  aud: absentOrNull(z.union([z.string(), z.array(z.string())])),
  delivery: absentOrNull(streamDelivery),
  events_requested: absentOrNull(z.array(z.string())),
  events_delivered: absentOrNull(z.array(z.string())),
  description: absentOrNull(z.string()),
});
/** A stream configuration (SSF 1.0 §8.1.1). */
export type StreamConfiguration = z.output<typeof streamConfiguration>;
/** Its `delivery` member. */
export type StreamDelivery = z.output<typeof streamDelivery>;

/** A stream as read, or `undefined` when it has no readable `stream_id`. */
export interface StreamReading {
  readonly stream: StreamConfiguration | undefined;
  /** Each problem of the answer, `path: message`; the members at fault were read as absent. */
  readonly unreadable: readonly string[];
}

/**
 * Deletes the member at `path`, or, when it is missing (a required member absent), the nearest
 * enclosing member present. False when that would be the whole value.
 */
function dropMember(root: unknown, path: readonly PropertyKey[]): boolean {
  for (let depth = path.length; depth > 0; depth -= 1) {
    const parent = path
      .slice(0, depth - 1)
      .reduce<unknown>(
        (value, key) =>
          typeof value === 'object' && value !== null
            ? (value as Record<PropertyKey, unknown>)[key]
            : undefined,
        root,
      );
    const key = path[depth - 1] as PropertyKey;
    if (typeof parent === 'object' && parent !== null && key in parent) {
      delete (parent as Record<PropertyKey, unknown>)[key];
      return true;
    }
  }
  return false;
}

/**
 * Reads one stream configuration liberally; `at` prefixes the paths described (a listing's index).
 *
 * @example
 * ```ts
 * readStream({ stream_id: 's', events_delivered: 'x' }); // { stream: { stream_id: 's' }, unreadable: ['events_delivered: …'] }
 * ```
 */
export function readStream(value: unknown, at: readonly PropertyKey[] = []): StreamReading {
  const strict = streamConfiguration.safeParse(value);
  if (strict.success) return { stream: strict.data, unreadable: [] };
  const unreadable = describeIssues(strict.error.issues, at);
  const candidate: unknown = structuredClone(value);
  // Each round drops the members at fault; a member dropped can only expose its parent.
  for (let round = 0; round < 8; round += 1) {
    const parsed = streamConfiguration.safeParse(candidate);
    if (parsed.success) return { stream: parsed.data, unreadable };
    if (!parsed.error.issues.every((issue) => dropMember(candidate, issue.path))) break;
  }
  return { stream: undefined, unreadable };
}
