/**
 * The transmitter's stream configuration endpoint (SSF 1.0 §8.1.1): read the receiver's
 * streams, create one, update one. Which stream is the receiver's is {@link setUpStream}'s.
 */
import { z } from 'zod';
import {
  TransmitterRequestError,
  absentOrNull,
  parseAnswer,
  request,
} from './transmitter-request.js';
import type { ManagementCall } from './transmitter-request.js';

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
});
/** A stream configuration (SSF 1.0 §8.1.1). */
export type StreamConfiguration = z.output<typeof streamConfiguration>;
/** Its `delivery` member. */
export type StreamDelivery = z.output<typeof streamDelivery>;

/**
 * Reads the receiver's streams (SSF 1.0 §8.1.1.2: an array, or one object when there is one).
 * A 404 means none.
 *
 * @example
 * ```ts
 * const streams = await listStreams({ endpoint: ssf.configuration_endpoint, token });
 * ```
 */
export async function listStreams(call: ManagementCall): Promise<StreamConfiguration[]> {
  try {
    const { body } = await request('stream-read', call.endpoint, {
      token: call.token,
      signal: call.signal,
    });
    if (body === undefined) return [];
    if (!Array.isArray(body)) return [parseAnswer('stream-read', streamConfiguration, body)];
    return parseAnswer('stream-read', z.array(streamConfiguration), body);
  } catch (error) {
    if (error instanceof TransmitterRequestError && error.status === 404) return [];
    throw error;
  }
}

/**
 * Creates a stream (SSF 1.0 §8.1.1.1).
 *
 * @example
 * ```ts
 * const stream = await createStream(call, { delivery: { method: 'urn:ietf:rfc:8936' } });
 * ```
 */
export async function createStream(
  call: ManagementCall,
  configuration: Record<string, unknown>,
): Promise<StreamConfiguration> {
  const { body } = await request('stream-create', call.endpoint, {
    method: 'POST',
    token: call.token,
    json: configuration,
    signal: call.signal,
  });
  return parseAnswer('stream-create', streamConfiguration, body);
}

/**
 * Updates a stream (SSF 1.0 §8.1.1.3, PATCH: only the members given change).
 *
 * @example
 * ```ts
 * await updateStream(call, { stream_id, delivery });
 * ```
 */
export async function updateStream(
  call: ManagementCall,
  configuration: Record<string, unknown>,
): Promise<StreamConfiguration> {
  // Keycloak reads the stream id from the query (observed), SSF 1.0 from the body: send both.
  const url = new URL(call.endpoint);
  const id = configuration['stream_id'];
  if (typeof id === 'string') url.searchParams.set('stream_id', id);
  const { body } = await request('stream-update', url.toString(), {
    method: 'PATCH',
    token: call.token,
    json: configuration,
    signal: call.signal,
  });
  return parseAnswer('stream-update', streamConfiguration, body);
}
