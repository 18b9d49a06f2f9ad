import { randomUUID } from 'node:crypto';
import { DEFAULT_CLOCK_TOLERANCE_MS } from './clock.js';
import { SCHEMA_VERSION } from './event.js';
import type { RevocationEvent } from './event.js';
import {
  CutoffInFutureError,
  EventInvalidError,
  EventNotJsonError,
  EventTooLargeError,
  EventVersionError,
} from './errors.js';
import { fastValidate } from './fast-validate.js';
import { eventKey } from './rules.js';
import { revocationEventSchema } from './schema.js';

/** Default size limit of one encoded event: 4 KiB. Real events are a few hundred bytes. */
export const DEFAULT_MAX_EVENT_BYTES = 4096;

// The clock tolerance lives in clock.ts, which rules.ts imports too (this module imports rules.ts).
export { DEFAULT_CLOCK_TOLERANCE_MS } from './clock.js';

/** Options of {@link validateEvent} and {@link decodeEvent}. */
export interface ValidateOptions {
  /**
   * The reference "now" in ms, for refusing future cutoffs. Consumers pass the Kafka record's
   * timestamp rather than their own clock, so every verifier judges an event the same way
   * however late it reads it. Default: the event's own `issuedAt` only.
   */
  readonly now?: number | undefined;
  /** How far (ms) a cutoff may lie past `issuedAt` and `now`. Default {@link DEFAULT_CLOCK_TOLERANCE_MS}. */
  readonly clockToleranceMs?: number | undefined;
}

/** Options of {@link decodeEvent}. */
export interface DecodeOptions extends ValidateOptions {
  /** Size limit in bytes. Default {@link DEFAULT_MAX_EVENT_BYTES}. */
  readonly maxBytes?: number | undefined;
}

/** An encoded event, ready for a Kafka producer. */
export interface EncodedEvent {
  /** `kind:issuer:target` (see `ruleKey`), so compaction keeps the latest event per target of one issuer. */
  readonly key: string;
  /** UTF-8 JSON of the event. */
  readonly value: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function checkCutoff(event: RevocationEvent, options: ValidateOptions): void {
  if (event.kind !== 'subject' && event.kind !== 'global') return;
  const tolerance = options.clockToleranceMs ?? DEFAULT_CLOCK_TOLERANCE_MS;
  const reference = Math.min(event.issuedAt, options.now ?? event.issuedAt);
  const latestAllowed = reference + tolerance;
  if (event.cutoff > latestAllowed) throw new CutoffInFutureError(event.cutoff, latestAllowed);
}

function parseWithSchema(input: unknown): RevocationEvent {
  const parsed = revocationEventSchema.safeParse(input);
  if (!parsed.success) {
    throw new EventInvalidError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/**
 * Checks an already-parsed value against the event schema and the future-cutoff rule.
 *
 * @throws {@link EventVersionError} for a missing or unknown `v`,
 *   {@link EventInvalidError} for a schema violation,
 *   {@link CutoffInFutureError} for a cutoff beyond the tolerance.
 */
export function validateEvent(input: unknown, options: ValidateOptions = {}): RevocationEvent {
  const version =
    typeof input === 'object' && input !== null ? (input as { v?: unknown }).v : undefined;
  if (version !== SCHEMA_VERSION) throw new EventVersionError(version);
  // The hand-written check accepts exactly what the schema accepts, at a fraction of its cost
  // per record (cold start replays the whole topic); zod stays the reference and gives the
  // reasons for the rare event it refuses.
  const event = fastValidate(input) ?? parseWithSchema(input);
  checkCutoff(event, options);
  return event;
}

/**
 * Decodes one Kafka record value into a validated event.
 *
 * @example
 * ```ts
 * try {
 *   const event = decodeEvent(message.value, { now: Number(message.timestamp) });
 * } catch (err) {
 *   if (err instanceof ProtocolError) skipPoison(err.code);
 * }
 * ```
 * @throws {@link EventTooLargeError}, {@link EventNotJsonError}, and whatever
 *   {@link validateEvent} throws.
 */
export function decodeEvent(
  payload: Uint8Array | string,
  options: DecodeOptions = {},
): RevocationEvent {
  const limit = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > limit) throw new EventTooLargeError(size, limit);
  let input: unknown;
  try {
    input = JSON.parse(typeof payload === 'string' ? payload : utf8.decode(payload));
  } catch (cause) {
    throw new EventNotJsonError('revocation event is not UTF-8 JSON', { cause });
  }
  return validateEvent(input, options);
}

/**
 * Validates and encodes an event for the revocation topic.
 *
 * @example
 * ```ts
 * await producer.send({ topic, acks: -1, messages: [encodeEvent(event)] });
 * ```
 * @throws the errors of {@link validateEvent} (with `now` = the current time), and
 *   {@link EventTooLargeError}.
 */
export function encodeEvent(event: RevocationEvent, options: DecodeOptions = {}): EncodedEvent {
  const valid = validateEvent(event, { now: Date.now(), ...options });
  const value = JSON.stringify(valid);
  const limit = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const size = Buffer.byteLength(value);
  if (size > limit) throw new EventTooLargeError(size, limit);
  return { key: eventKey(valid), value };
}

/** What a caller states to create an event; the envelope's version, id and time are filled in. */
export type RevocationEventInput = RevocationEvent extends infer E
  ? E extends RevocationEvent
    ? Omit<E, 'v' | 'id' | 'issuedAt'> & { readonly id?: string; readonly issuedAt?: number }
    : never
  : never;

/** Options of {@link createEvent}. */
export interface CreateEventOptions {
  /**
   * The clock, in ms since the epoch: the issue time when the input names none, and the
   * reference "now" of validation. Default `() => Date.now()`.
   */
  readonly now?: (() => number) | undefined;
  /** How far (ms) a cutoff may lie past the issue time. Default {@link DEFAULT_CLOCK_TOLERANCE_MS}. */
  readonly clockToleranceMs?: number | undefined;
}

/**
 * Creates a validated event, filling in the schema version, a random id and the issue time
 * (read from `options.now`, so an event and the row it accompanies can share one clock).
 *
 * @example
 * ```ts
 * const event = createEvent(
 *   { kind: 'session', sid, reason: 'logout', actor: userId, iss: 'https://auth.example' },
 *   { now: () => clock.now() },
 * );
 * ```
 */
export function createEvent(
  input: RevocationEventInput,
  options: CreateEventOptions = {},
): RevocationEvent {
  const now = (options.now ?? (() => Date.now()))();
  const candidate = {
    ...input,
    v: SCHEMA_VERSION,
    id: input.id ?? randomUUID(),
    issuedAt: input.issuedAt ?? now,
  };
  return validateEvent(candidate, { now, clockToleranceMs: options.clockToleranceMs });
}
