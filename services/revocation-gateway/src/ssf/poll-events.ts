/** One RFC 8936 poll request: acknowledge, report errors, receive SETs. */
import { z } from 'zod';
import { absentOrNull, parseAnswer, request } from './transmitter-request.js';

const pollAnswer = z.looseObject({
  sets: z.record(z.string(), z.string()).default({}),
  moreAvailable: absentOrNull(z.boolean()),
});
/** An RFC 8936 poll answer. */
export type PollAnswer = z.output<typeof pollAnswer>;

/** An RFC 8936 poll request. */
export interface PollRequest {
  readonly maxEvents: number;
  readonly returnImmediately: boolean;
  readonly ack: readonly string[];
  readonly setErrs: Readonly<
    Record<string, { readonly err: string; readonly description: string }>
  >;
}

/**
 * One poll.
 *
 * @example
 * ```ts
 * const { sets, moreAvailable } = await pollEvents(url, token, { maxEvents: 50, returnImmediately: true, ack: [], setErrs: {} });
 * ```
 */
export async function pollEvents(
  url: string,
  token: string,
  body: PollRequest,
  signal?: AbortSignal,
): Promise<PollAnswer> {
  const answer = await request('poll', url, { method: 'POST', token, json: body, signal });
  return parseAnswer('poll', pollAnswer, answer.body ?? {});
}
