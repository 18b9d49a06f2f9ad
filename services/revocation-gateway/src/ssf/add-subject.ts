/** The receiver's add-subject request (SSF 1.0 §8.1.3.2). */
import { request } from './transmitter-request.js';
import type { ManagementCall } from './transmitter-request.js';

/** An RFC 9493 subject identifier. */
export type SubjectIdentifier = Readonly<Record<string, unknown>> & { readonly format: string };

/**
 * Asks the transmitter to send the stream's events about `subject` (its `add_subject_endpoint`).
 * Adding a subject already added is harmless (§8.1.3.2 lets the transmitter answer 200).
 *
 * @example
 * ```ts
 * await addSubject({ endpoint: ssf.add_subject_endpoint, token }, streamId, { format: 'email', email: 'a@example.com' });
 * ```
 */
export async function addSubject(
  call: ManagementCall,
  streamId: string,
  subject: SubjectIdentifier,
): Promise<void> {
  await request('subject-add', call.endpoint, {
    method: 'POST',
    token: call.token,
    json: { stream_id: streamId, subject },
    signal: call.signal,
  });
}
