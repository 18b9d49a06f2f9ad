/** A verified signal, whatever channel brought it: what the mapping turns into rules. */

/** The channel a signal came through; a metrics label. */
export type SignalSource = 'backchannel' | 'ssf-push' | 'ssf-poll';

/** The event URI of OpenID Connect Back-Channel Logout 1.0. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** A verified logout token (OIDC Back-Channel Logout 1.0 §2.4). */
export interface BackchannelLogoutSignal {
  readonly type: 'backchannel-logout';
  readonly jti: string;
  /** `iat` in ms. */
  readonly issuedAt: number;
  readonly sid: string | undefined;
  readonly sub: string | undefined;
  /** Keep the jti until then: afterwards the `iat` window refuses a replay by itself. */
  readonly replayGuardUntil: number;
}

/** A verified Security Event Token (RFC 8417) carrying exactly one event. */
export interface SecurityEventSignal {
  readonly type: 'security-event';
  readonly jti: string;
  /** `iat` in ms. */
  readonly issuedAt: number;
  /** The event type URI, e.g. CAEP's session-revoked. */
  readonly eventType: string;
  /** The event's own members. */
  readonly event: Readonly<Record<string, unknown>>;
  /** `sub_id` (SSF 1.0) or, for older CAEP, the event's `subject`; `undefined` when neither. */
  readonly subject: unknown;
  /** The event's `event_timestamp` in ms, if it carries one. */
  readonly eventTimestamp: number | undefined;
  /** The transmitter wrote `event_timestamp` in ms, not the NumericDate seconds SSF asks for. */
  readonly eventTimestampInMs: boolean;
  readonly replayGuardUntil: number;
}

/** Any verified signal. */
export type StandardSignal = BackchannelLogoutSignal | SecurityEventSignal;
