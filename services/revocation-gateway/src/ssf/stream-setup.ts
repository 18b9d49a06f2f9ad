/**
 * Registering or adopting the receiver's stream (SSF 1.0 §8.1.1): read the receiver's streams
 * with its bearer token; adopt one (the remembered id, else one that is ours by its delivery
 * and audience, else the first) and update its delivery when it differs, or create one
 * (Keycloak allows one stream per receiver client and answers a second create with 409, so
 * adopting is what makes a restart work). Adopting what is ours also recovers a stream whose
 * creation answer never reached us or was refused: the transmitter holds it, the retry finds
 * it. A push stream whose `authorization_header` is not echoed gets ours again: we must be sure
 * it holds the one we check.
 */
import type { SsfConfig } from '../config/provider-config.js';
import { EVENT_TYPES } from '../signals/mapping.js';
import { createStream, listStreams, updateStream } from './stream-management.js';
import type { StreamConfiguration, StreamDelivery } from './stream-answer.js';
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
  /** The problems of the transmitter's answers; the members at fault were read as absent. */
  readonly unreadable: readonly string[];
}

/** The `description` of the streams the gateway creates; it names them as ours when echoed. */
export const STREAM_DESCRIPTION = 'revocation-fabric gateway';

/**
 * Whether a listed stream is the one this receiver would have created: it names the configured
 * audience (when one is), and carries our description or our delivery (method, push URL).
 *
 * @example
 * ```ts
 * isOurStream({ stream_id: 's', delivery: { method: POLL_METHOD } }, { method: POLL_METHOD }, undefined); // true
 * ```
 */
export function isOurStream(
  stream: StreamConfiguration,
  desired: StreamDelivery,
  audience: string | undefined,
): boolean {
  if (audience !== undefined && !([] as string[]).concat(stream.aud ?? []).includes(audience)) {
    return false;
  }
  if (stream.description === STREAM_DESCRIPTION) return true;
  const { delivery } = stream;
  return (
    delivery?.method === desired.method &&
    (desired.endpoint_url === undefined || delivery.endpoint_url === desired.endpoint_url)
  );
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
  const { streams, unreadable } = await listStreams(input.call);
  const existing =
    streams.find((s) => s.stream_id === input.rememberedStreamId) ??
    streams.find((s) => isOurStream(s, delivery, input.ssf.audience)) ??
    streams[0];
  if (existing === undefined) {
    const created = await createStream(input.call, {
      delivery,
      events_requested: input.ssf.eventsRequested ?? DEFAULT_EVENTS_REQUESTED,
      description: STREAM_DESCRIPTION,
    });
    return { ...created, action: 'created', unreadable: [...unreadable, ...created.unreadable] };
  }
  const differs = deliveryDiffers(existing.delivery, delivery);
  if (!differs) return { stream: existing, action: 'adopted', unreadable };
  const updated = await updateStream(input.call, { stream_id: existing.stream_id, delivery });
  return { ...updated, action: 'updated', unreadable: [...unreadable, ...updated.unreadable] };
}
