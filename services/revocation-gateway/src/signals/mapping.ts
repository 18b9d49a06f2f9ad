/**
 * THE MAPPING: standard revocation signals → fabric rules. docs/signal-mapping.md shows the same
 * table; `mapping.test.ts` has one test per row.
 *
 * Reasons are the protocol's existing REVOCATION_REASONS (a verifier skips a reason it does not
 * know, so none is added for the gateway). The event's `iss` is the provider's issuer, so a rule
 * applies to that provider's tokens only.
 */
import type { RevocationEventInput, RevocationReason } from '@revocation-fabric/protocol';
import type { StandardSignal } from './signal.js';
import { subjectFacts } from './subject.js';

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
const SSF = 'https://schemas.openid.net/secevent/ssf/event-type/';

/** The event types the gateway knows, by short name. */
export const EVENT_TYPES = {
  sessionRevoked: `${CAEP}session-revoked`,
  credentialChange: `${CAEP}credential-change`,
  tokenClaimsChange: `${CAEP}token-claims-change`,
  accountDisabled: `${RISC}account-disabled`,
  accountPurged: `${RISC}account-purged`,
  credentialCompromise: `${RISC}credential-compromise`,
  verification: `${SSF}verification`,
  streamUpdated: `${SSF}stream-updated`,
} as const;

/**
 * SET event types that end a user's tokens, and the reason their rules carry. A `subject`
 * cutoff lies at the event's `event_timestamp` (the SET's `iat` when absent); `session-revoked`
 * whose subject names a session (complex subject `session`) is a `session` rule instead.
 */
export const SET_EVENT_REASONS: Readonly<Record<string, RevocationReason>> = Object.freeze({
  [EVENT_TYPES.sessionRevoked]: 'logout-all',
  [EVENT_TYPES.credentialChange]: 'password-change',
  [EVENT_TYPES.tokenClaimsChange]: 'role-change',
  [EVENT_TYPES.accountDisabled]: 'ban',
  [EVENT_TYPES.accountPurged]: 'ban',
  [EVENT_TYPES.credentialCompromise]: 'password-change',
});

/** Event types accepted (and acknowledged) without a rule: the stream's own housekeeping. */
export const NO_RULE_EVENTS: readonly string[] = [
  EVENT_TYPES.verification,
  EVENT_TYPES.streamUpdated,
];

type WithoutSource<T> = T extends unknown ? Omit<T, 'iss' | 'actor'> : never;

/** A rule to publish; the issuer and actor are the provider's. */
export type RuleDraft = WithoutSource<RevocationEventInput>;

/** What the mapping decides for one signal. */
export type MappingResult =
  | { readonly outcome: 'rule'; readonly draft: RuleDraft }
  /** Accepted, no rule: `label` says why (`verification`, `stream-updated`, `unsupported-event`). */
  | { readonly outcome: 'no-rule'; readonly label: string }
  | { readonly outcome: 'unmappable'; readonly description: string };

/**
 * A cutoff from a time of whole seconds (a JWT `iat`, an `event_timestamp` without fraction):
 * the event happened somewhere in that second, and tokens carry `iat` in seconds too, so a
 * token of the same second may predate it. The cutoff is the end of that second, erring on
 * the side of rejection as the protocol's `iat` fallback does (docs/protocol.md); a time with
 * a fraction is exact and kept.
 *
 * @example
 * ```ts
 * cutoffAfter(1_796_161_300_000); // 1_796_161_301_000
 * cutoffAfter(1_796_161_300_250); // 1_796_161_300_250
 * ```
 */
export function cutoffAfter(ms: number): number {
  return ms % 1000 === 0 ? ms + 1000 : ms;
}

/** The provider facts the mapping needs. */
export interface MappingContext {
  readonly issuer: string;
  readonly maxTokenLifetimeMs: number;
  /** ms since the epoch: start of a token rule's lifetime. */
  readonly now: number;
  /** Future skew accepted, ms: the latest cutoff the protocol accepts is `now` plus this. */
  readonly clockToleranceMs: number;
}

/**
 * The cutoff of a signal at time `ms`: {@link cutoffAfter}, but never past what the protocol
 * accepts (`now + clockToleranceMs`). A time accepted as "now" (an `iat` up to the tolerance
 * ahead) rounded up a second would otherwise be refused as a future cutoff, and the revocation
 * lost. A time itself beyond the tolerance is kept, so it is still refused.
 *
 * @example
 * ```ts
 * signalCutoff(1_796_161_300_000, { now: 1_796_161_300_000, clockToleranceMs: 0 }); // 1_796_161_300_000
 * ```
 */
export function signalCutoff(
  ms: number,
  ctx: Pick<MappingContext, 'now' | 'clockToleranceMs'>,
): number {
  const latest = ctx.now + ctx.clockToleranceMs;
  return ms > latest ? ms : Math.min(cutoffAfter(ms), latest);
}

/**
 * Maps a verified signal to its rule.
 *
 * @example
 * ```ts
 * mapSignal({ type: 'backchannel-logout', sid: 's1', sub: 'u1', … }, ctx);
 * // { outcome: 'rule', draft: { kind: 'session', sid: 's1', reason: 'logout' } }
 * ```
 */
export function mapSignal(signal: StandardSignal, ctx: MappingContext): MappingResult {
  if (signal.type === 'backchannel-logout') {
    if (signal.sid !== undefined) {
      return { outcome: 'rule', draft: { kind: 'session', sid: signal.sid, reason: 'logout' } };
    }
    if (signal.sub !== undefined) {
      return {
        outcome: 'rule',
        draft: {
          kind: 'subject',
          sub: signal.sub,
          cutoff: signalCutoff(signal.issuedAt, ctx),
          reason: 'logout-all',
        },
      };
    }
    return { outcome: 'unmappable', description: 'a logout token without sid and sub' };
  }
  if (NO_RULE_EVENTS.includes(signal.eventType)) {
    return { outcome: 'no-rule', label: signal.eventType.slice(SSF.length) };
  }
  // Own members only: an event type named `constructor` must not read the prototype's.
  const reason = Object.hasOwn(SET_EVENT_REASONS, signal.eventType)
    ? SET_EVENT_REASONS[signal.eventType]
    : undefined;
  if (reason === undefined) return { outcome: 'no-rule', label: 'unsupported-event' };
  const facts = subjectFacts(signal.subject, ctx.issuer);
  if (facts.kind === 'unmappable') return { outcome: 'unmappable', description: facts.description };
  const sessionRevoked = signal.eventType === EVENT_TYPES.sessionRevoked;
  if (facts.kind === 'token') {
    return {
      outcome: 'rule',
      draft: {
        kind: 'token',
        jti: facts.jti,
        expiresAt: ctx.now + ctx.maxTokenLifetimeMs,
        reason: sessionRevoked ? 'logout' : reason,
      },
    };
  }
  if (sessionRevoked && facts.sid !== undefined) {
    return { outcome: 'rule', draft: { kind: 'session', sid: facts.sid, reason: 'logout' } };
  }
  if (facts.sub === undefined) {
    return { outcome: 'unmappable', description: 'the subject names no user of this issuer' };
  }
  return {
    outcome: 'rule',
    draft: {
      kind: 'subject',
      sub: facts.sub,
      cutoff: signalCutoff(signal.eventTimestamp ?? signal.issuedAt, ctx),
      reason,
    },
  };
}
