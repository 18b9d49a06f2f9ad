/**
 * The path every signal takes, whatever brought it: verify → map → commit, counted once in
 * `revocation_gateway_signals_total` with its outcome and reason, and logged.
 */
import type { RevocationEvent } from '@revocation-fabric/protocol';
import type { ProviderConfig } from '../config/provider-config.js';
import type { GatewayContext } from '../context.js';
import { commitSignal } from './commit-signal.js';
import { mapSignal } from './mapping.js';
import { SignalRefusedError, refuse } from './refusal.js';
import type { SignalSource, StandardSignal } from './signal.js';

/** What became of a signal. */
export type SignalOutcome =
  | {
      readonly outcome: 'accepted';
      readonly jti: string;
      readonly event: RevocationEvent | undefined;
    }
  | { readonly outcome: 'duplicate'; readonly jti: string }
  | { readonly outcome: 'refused'; readonly error: SignalRefusedError };

/** The actor of the provider's events. */
export const actorOf = (provider: ProviderConfig): string => `gateway:${provider.name}`;

/**
 * Verifies, maps and commits one signal. Never throws for a bad signal: a refusal is an
 * outcome. A real failure (the database) still throws.
 *
 * @example
 * ```ts
 * const result = await handleSignal(ctx, provider, 'ssf-push', () => verifySet(body, expect));
 * ```
 */
export async function handleSignal(
  ctx: GatewayContext,
  provider: ProviderConfig,
  source: SignalSource,
  verify: () => Promise<StandardSignal>,
): Promise<SignalOutcome> {
  const count = (outcome: 'accepted' | 'refused' | 'duplicate', reason: string): void =>
    ctx.metrics.signals.inc({ provider: provider.name, source, outcome, reason });
  let jti: string | undefined;
  try {
    const signal = await verify();
    jti = signal.jti;
    if (signal.type === 'security-event' && signal.eventTimestampInMs) {
      ctx.metrics.nonConforming.inc({ provider: provider.name, what: 'event_timestamp_ms' });
      ctx.logger.warn(
        { provider: provider.name, source, jti, eventTimestamp: signal.eventTimestamp },
        'event_timestamp is in milliseconds, not NumericDate seconds; read as milliseconds',
      );
    }
    const mapped = mapSignal(signal, {
      issuer: provider.issuer,
      maxTokenLifetimeMs: provider.maxTokenLifetimeMs,
      now: ctx.now(),
      clockToleranceMs: ctx.config.clockToleranceMs,
    });
    if (mapped.outcome === 'unmappable') throw refuse('SUBJECT_UNMAPPABLE', mapped.description);
    const result = await commitSignal(ctx, {
      issuer: provider.issuer,
      actor: actorOf(provider),
      source,
      jti: signal.jti,
      replayGuardUntil: signal.replayGuardUntil,
      draft: mapped.outcome === 'rule' ? mapped.draft : undefined,
    });
    if (result.outcome === 'duplicate') {
      count('duplicate', 'replay');
      ctx.logger.info({ provider: provider.name, source, jti: signal.jti }, 'signal already seen');
      return { outcome: 'duplicate', jti: signal.jti };
    }
    count('accepted', mapped.outcome === 'rule' ? mapped.draft.reason : mapped.label);
    ctx.logger.info(
      {
        provider: provider.name,
        source,
        jti: signal.jti,
        event: result.event && {
          id: result.event.id,
          kind: result.event.kind,
          reason: result.event.reason,
        },
      },
      'signal accepted',
    );
    return { outcome: 'accepted', jti: signal.jti, event: result.event };
  } catch (error) {
    if (!(error instanceof SignalRefusedError)) throw error;
    count('refused', error.code);
    ctx.logger.info(
      // The jti (when the signal got as far as having one checked) matches the transmitter's record.
      { provider: provider.name, source, jti, code: error.code, description: error.message },
      'signal refused',
    );
    return { outcome: 'refused', error };
  }
}
