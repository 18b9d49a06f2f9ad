/**
 * What both signal routes share: finding the provider, counting refusals made before a token
 * is even looked at, and turning body-parser failures into refusals.
 */
import type { Request } from 'express';
import type { RouteResult } from '@revocation-fabric/service-runtime';
import type { GatewayContext } from '../../context.js';
import type { ProviderRuntime } from '../../providers.js';
import { SignalRefusedError, refuse } from '../../signals/refusal.js';
import type { SignalSource } from '../../signals/signal.js';

/** The provider of `req.params.provider`, or a refusal. */
export function providerOf(
  providers: ReadonlyMap<string, ProviderRuntime>,
  req: Request,
): ProviderRuntime {
  const name = req.params['provider'];
  const runtime = typeof name === 'string' ? providers.get(name) : undefined;
  if (runtime === undefined) throw refuse('UNKNOWN_PROVIDER', 'no such provider');
  return runtime;
}

/**
 * Counts a refusal made before the signal path (unknown providers are not counted: their
 * names would be a label an attacker chooses).
 */
export function countEarlyRefusal(
  ctx: GatewayContext,
  runtime: ProviderRuntime | undefined,
  source: SignalSource,
  error: SignalRefusedError,
): void {
  if (runtime === undefined) return;
  ctx.metrics.signals.inc({
    provider: runtime.config.name,
    source,
    outcome: 'refused',
    reason: error.code,
  });
}

/** A body-parser (or other client-side) failure as a refusal, or `undefined` for a real failure. */
export function refusalOf(error: unknown): SignalRefusedError | undefined {
  if (error instanceof SignalRefusedError) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status } = error as { type?: unknown; status?: unknown };
  if (type === 'entity.too.large' || status === 413)
    return refuse('PAYLOAD_TOO_LARGE', 'the body is larger than the limit');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return refuse('MALFORMED_BODY', 'the body cannot be read');
  }
  return undefined;
}

/**
 * A signal route's `answerError`: a refusal (its own, or a body-parser failure) is counted and
 * answered in the route's protocol; anything else is left to the shell's 500.
 */
export function signalErrorAnswer(
  ctx: GatewayContext,
  providers: ReadonlyMap<string, ProviderRuntime>,
  source: SignalSource,
  answer: (error: SignalRefusedError) => RouteResult,
) {
  return (error: unknown, req: Request): RouteResult | undefined => {
    const refusal = refusalOf(error);
    if (refusal === undefined) return undefined;
    const name = req.params['provider'];
    countEarlyRefusal(
      ctx,
      typeof name === 'string' ? providers.get(name) : undefined,
      source,
      refusal,
    );
    return answer(refusal);
  };
}
