/**
 * Writing an event into the outbox inside the caller's transaction: the event commits with the
 * state change it announces, or not at all. Events are validated and encoded once, here, so what
 * the relay publishes is exactly what was committed.
 */
import {
  REVOCATION_SIGNATURE_HEADER,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  createEvent,
  encodeEvent,
  isBrake,
} from '@revocation-fabric/protocol';
import type {
  RevocationEvent,
  RevocationEventInput,
  TraceContextHeaders,
} from '@revocation-fabric/protocol';
import { traceCreate } from '../tracing/tracing.js';
import { outboxView } from './outbox-table.js';
import type { OutboxExecutor } from './outbox-table.js';

/** Options of {@link enqueue}. */
export interface EnqueueOptions {
  /**
   * The clock, ms since the epoch: the event's `issuedAt` (unless the input names one) and the
   * row's `created_at`. Pass the clock the rest of the transaction uses, so the event and the
   * row it accompanies agree. Default `() => Date.now()`.
   */
  readonly now?: (() => number) | undefined;
  /** How far (ms) a cutoff may lie past the issue time. Default the protocol's (5000). */
  readonly clockToleranceMs?: number | undefined;
  /**
   * Signs a brake (`global` or `key` rule): returns the detached JWS over the encoded event
   * (`<protected>..<signature>`, `typ` `revocation-brake+jws`) made with a key the issuer
   * controls, which verifiers check against that issuer's keys; it is committed with the row
   * and published in the `revocation-signature` header. Required to enqueue a brake:
   * verifiers refuse unsigned ones, so an unsigned brake is refused here, at the source.
   */
  readonly signBrake?: BrakeSigner | undefined;
  /**
   * The trace the event belongs to, when OpenTelemetry tracing is on (an SDK's tracer provider
   * is registered): the event's `create` span becomes a child of this context, and its own
   * context is committed with the row and published as the record's `traceparent` and
   * `tracestate` headers, so verifiers join the trace. Default: the active context (the
   * request's, inside its handler); `null`: a trace of its own. Pass what
   * `activeTraceContext()` captured when the transaction runs outside the request's context.
   * Ignored when tracing is off: then no trace headers are written. Tracing needs the outbox's
   * `headers` column (`outboxHeadersMigration`).
   */
  readonly trace?: TraceContextHeaders | null | undefined;
}

/**
 * Signs the encoded value of a brake; see {@link EnqueueOptions.signBrake}.
 *
 * @example
 * ```ts
 * const signBrake: BrakeSigner = async (payload) => {
 *   const jws = await new FlattenedSign(new TextEncoder().encode(payload))
 *     .setProtectedHeader({ alg: 'ES256', kid, typ: 'revocation-brake+jws' })
 *     .sign(privateKey);
 *   return `${jws.protected}..${jws.signature}`;
 * };
 * ```
 */
export type BrakeSigner = (payload: string, event: RevocationEvent) => Promise<string>;

/**
 * Validates, encodes and stores an event in the outbox, inside `executor` (use the caller's
 * transaction). Wake the relay after the transaction committed (`relay.wake()`).
 *
 * @returns the event as it will be published.
 * @throws the protocol's validation errors (e.g. `CutoffInFutureError`) for a bad event; the
 *   caller's transaction then rolls back.
 * @example
 * ```ts
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable('sessions').set({ revokedAt: now() }).where('id', '=', sid).execute();
 *   await enqueue(trx, { kind: 'session', sid, reason: 'logout', actor: userId, iss }, { now });
 * });
 * relay.wake();
 * ```
 */
export async function enqueue<DB>(
  executor: OutboxExecutor<DB>,
  input: RevocationEventInput,
  options: EnqueueOptions = {},
): Promise<RevocationEvent> {
  const event = createEvent(input, options);
  const { key, value } = encodeEvent(event, {
    now: event.issuedAt,
    clockToleranceMs: options.clockToleranceMs,
  });
  const recordHeaders: Record<string, string> = {};
  if (isBrake(event.kind)) {
    if (options.signBrake === undefined) {
      throw new TypeError(
        `enqueue: a ${event.kind} rule is a brake and needs options.signBrake: verifiers refuse unsigned brakes`,
      );
    }
    recordHeaders[REVOCATION_SIGNATURE_HEADER] = await options.signBrake(value, event);
  }
  const created = traceCreate(event, key, options.trace);
  if (created !== undefined) {
    recordHeaders[TRACEPARENT_HEADER] = created.traceparent;
    if (created.tracestate !== undefined) recordHeaders[TRACESTATE_HEADER] = created.tracestate;
  }
  const headers = Object.keys(recordHeaders).length === 0 ? null : JSON.stringify(recordHeaders);
  await outboxView(executor)
    .insertInto('outbox')
    .values({
      event_id: event.id,
      kind: event.kind,
      message_key: key,
      payload: value,
      // Only when there is something to carry: a table not yet given the headers column
      // (outboxHeadersMigration) still takes every other event.
      ...(headers === null ? {} : { headers }),
      created_at: event.issuedAt,
    })
    .execute();
  return event;
}
