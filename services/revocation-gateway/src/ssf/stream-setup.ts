/**
 * Registering or adopting the receiver's stream (SSF 1.0 §8.1.1): read the receiver's streams
 * with its bearer token; adopt one (the remembered id, else the first) and update its delivery
 * when it differs, or create one (Keycloak allows one stream per receiver client and answers a
 * second create with 409, so adopting is what makes a restart work). A push stream whose
 * `authorization_header` is not echoed gets ours again: we must be sure it holds the one we check.
 */
import type { SsfConfig } from '../config/provider-config.js';
import { EVENT_TYPES } from '../signals/mapping.js';
import { createStream, listStreams, updateStream } from './stream-management.js';
import type { StreamConfiguration, StreamDelivery } from './stream-management.js';
import type { ManagementCall } from './transmitter-request.js';

/** RFC 8935 push and RFC 8936 poll delivery method URNs. */
export const PUSH_METHOD = 'urn:ietf:rfc:8935';
export const POLL_METHOD = 'urn:ietf:rfc:8936';

/** The events the gateway asks for when the configuration names none. */
export const DEFAULT_EVENTS_REQUESTED: readonly string[] = [
  EVENT_TYPES.sessionRevoked,
  EVENT_TYPES.credentialChange,
  EVENT_TYPES.tokenClaimsChange,
  EVENT_TYPES.accountDisabled,
  EVENT_TYPES.accountPurged,
  EVENT_TYPES.credentialCompromise,
];

/** What {@link setUpStream} works with. */
export interface StreamSetupInput {
  readonly call: ManagementCall;
  readonly ssf: SsfConfig;
  /** The push authorization header value we issued (push only). */
  readonly pushAuthorization: string;
  readonly rememberedStreamId: string | undefined;
}

/** The stream as set up, and what was done. */
export interface StreamSetup {
  readonly stream: StreamConfiguration;
  readonly action: 'created' | 'adopted' | 'updated';
}

/**
 * Whether a stream's delivery must be updated to `desired`: another method or endpoint, or
 * (push) an `authorization_header` that is not ours — a transmitter that does not echo the
 * header may hold another, so it is sent again.
 *
 * @example
 * ```ts
 * deliveryDiffers({ method: POLL_METHOD, endpoint_url: 'https://…/poll' }, { method: POLL_METHOD }); // false
 * ```
 */
export function deliveryDiffers(
  current: StreamDelivery | undefined,
  desired: StreamDelivery,
): boolean {
  if (current?.method !== desired.method) return true;
  if (desired.endpoint_url !== undefined && current.endpoint_url !== desired.endpoint_url)
    return true;
  return (
    desired.authorization_header !== undefined &&
    current.authorization_header !== desired.authorization_header
  );
}

function desiredDelivery(input: StreamSetupInput): StreamDelivery {
  return input.ssf.delivery === 'push'
    ? {
        method: PUSH_METHOD,
        endpoint_url: input.ssf.pushUrl ?? '',
        authorization_header: input.pushAuthorization,
      }
    : { method: POLL_METHOD };
}

/**
 * Adopts or creates the stream.
 *
 * @example
 * ```ts
 * const { stream, action } = await setUpStream({ call, ssf, pushAuthorization, rememberedStreamId });
 * ```
 */
export async function setUpStream(input: StreamSetupInput): Promise<StreamSetup> {
  const delivery = desiredDelivery(input);
  const streams = await listStreams(input.call);
  const existing = streams.find((s) => s.stream_id === input.rememberedStreamId) ?? streams[0];
  if (existing === undefined) {
    const stream = await createStream(input.call, {
      delivery,
      events_requested: input.ssf.eventsRequested ?? DEFAULT_EVENTS_REQUESTED,
      description: 'revocation-fabric gateway',
    });
    return { stream, action: 'created' };
  }
  const differs = deliveryDiffers(existing.delivery, delivery);
  if (!differs) return { stream: existing, action: 'adopted' };
  const stream = await updateStream(input.call, {
    stream_id: existing.stream_id,
    delivery,
  });
  return { stream, action: 'updated' };
}
