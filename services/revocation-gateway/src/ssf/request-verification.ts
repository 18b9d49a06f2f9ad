/** The receiver's verification request (SSF 1.0 §8.1.4.2). */
import { request } from './transmitter-request.js';
import type { ManagementCall } from './transmitter-request.js';

/**
 * Asks the transmitter for a verification event carrying `state`.
 *
 * @example
 * ```ts
 * await requestVerification({ endpoint: ssf.verification_endpoint, token }, streamId, state);
 * ```
 */
export async function requestVerification(
  call: ManagementCall,
  streamId: string,
  state: string,
): Promise<void> {
  await request('verification', call.endpoint, {
    method: 'POST',
    token: call.token,
    json: { stream_id: streamId, state },
    signal: call.signal,
  });
}
