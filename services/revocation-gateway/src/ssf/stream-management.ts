/**
 * The transmitter's stream configuration endpoint (SSF 1.0 §8.1.1): read the receiver's
 * streams, create one, update one, every answer read liberally ({@link readStream}). Which
 * stream is the receiver's is {@link setUpStream}'s.
 */
import { readStream } from './stream-answer.js';
import type { StreamConfiguration, StreamReading } from './stream-answer.js';
import { TransmitterRequestError, request } from './transmitter-request.js';
import type { ManagementCall } from './transmitter-request.js';

/** The receiver's streams as listed, and what of them could not be read (see {@link readStream}). */
export interface StreamListing {
  readonly streams: readonly StreamConfiguration[];
  readonly unreadable: readonly string[];
}

/** A stream as created or updated, and what of it could not be read (see {@link readStream}). */
export interface StreamAnswer {
  readonly stream: StreamConfiguration;
  readonly unreadable: readonly string[];
}

function readListed(value: unknown, index: number): StreamReading {
  const reading = readStream(value, [index]);
  if (reading.stream !== undefined) return reading;
  return { ...reading, unreadable: [...reading.unreadable, `[${index}]: skipped`] };
}

/** Reads a creation or update answer, refusing it only when it holds no stream at all. */
function readAnswer(step: string, body: unknown): StreamAnswer {
  const { stream, unreadable } = readStream(body);
  if (stream === undefined) {
    throw new TransmitterRequestError(step, `unexpected answer: ${unreadable.join('; ')}`);
  }
  return { stream, unreadable };
}

/**
 * Reads the receiver's streams (SSF 1.0 §8.1.1.2: an array, or one object when there is one),
 * each liberally; one without a readable `stream_id` is skipped. A 404 means none.
 *
 * @example
 * ```ts
 * const { streams } = await listStreams({ endpoint: ssf.configuration_endpoint, token });
 * ```
 */
export async function listStreams(call: ManagementCall): Promise<StreamListing> {
  let body: unknown;
  try {
    ({ body } = await request('stream-read', call.endpoint, {
      token: call.token,
      signal: call.signal,
    }));
  } catch (error) {
    if (error instanceof TransmitterRequestError && error.status === 404) {
      return { streams: [], unreadable: [] };
    }
    throw error;
  }
  if (body === undefined) return { streams: [], unreadable: [] };
  const listed = (Array.isArray(body) ? body : [body]).map(readListed);
  return {
    streams: listed.flatMap(({ stream }) => (stream === undefined ? [] : [stream])),
    unreadable: listed.flatMap(({ unreadable }) => unreadable),
  };
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
): Promise<StreamAnswer> {
  const { body } = await request('stream-create', call.endpoint, {
    method: 'POST',
    token: call.token,
    json: configuration,
    signal: call.signal,
  });
  return readAnswer('stream-create', body);
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
): Promise<StreamAnswer> {
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
  return readAnswer('stream-update', body);
}
