/**
 * The event schema checked by hand, for the consumer's hot loop. A verifier replays the whole
 * topic before it may serve — a million records at a cold start — and zod's generic machinery
 * costs several µs per record there. This check accepts exactly what `revocationEventSchema`
 * accepts (a property test holds the two together on random valid and invalid input) and
 * answers only "valid, here is the event" or "not valid": the errors themselves still come from
 * zod, which `validateEvent` runs on the rare record this refuses. Hand-written because it is
 * the schema itself, specialised; no library makes a given zod schema faster.
 */
import { REVOCATION_REASONS, SCHEMA_VERSION } from './event.js';
import type { RevocationEvent, RevocationReason } from './event.js';

/** The same bound as the schema's: year 275760, the largest valid `Date`. */
const MAX_INSTANT_MS = 8.64e15;
const REASONS: ReadonlySet<string> = new Set<string>(REVOCATION_REASONS);

/** The fields each kind allows, envelope included: anything else makes the event invalid. */
const ENVELOPE = ['v', 'id', 'kind', 'reason', 'actor', 'iss', 'issuedAt'] as const;
const FIELDS: Readonly<Record<RevocationEvent['kind'], ReadonlySet<string>>> = {
  token: new Set([...ENVELOPE, 'jti', 'expiresAt']),
  session: new Set([...ENVELOPE, 'sid']),
  subject: new Set([...ENVELOPE, 'sub', 'cutoff', 'generation']),
  key: new Set([...ENVELOPE, 'kid']),
  global: new Set([...ENVELOPE, 'cutoff', 'generation']),
};

function isIdentifier(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

function isInstant(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= 0 &&
    value <= MAX_INSTANT_MS
  );
}

function isGeneration(value: unknown): value is number | undefined {
  return (
    value === undefined || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  );
}

function onlyKnownFields(input: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  // Own enumerable string keys: with a plain prototype (checked first) these are all the keys
  // zod's strict check iterates.
  const keys = Object.keys(input);
  for (let i = 0; i < keys.length; i++) {
    if (!allowed.has(keys[i] as string)) return false;
  }
  return true;
}

/**
 * Checks a parsed value against the event schema without zod.
 *
 * @returns the event (a fresh object with only the schema's fields), or `undefined` when the
 *   schema would refuse the value — ask zod for the reasons then.
 *
 * @example
 * ```ts
 * const event = fastValidate(JSON.parse(text)) ?? revocationEventSchema.parse(JSON.parse(text));
 * ```
 */
export function fastValidate(input: unknown): RevocationEvent | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  // Plain objects only (what JSON.parse makes, and object literals): zod's strict check also
  // sees inherited enumerable keys, so anything with another prototype is left to zod.
  const prototype: unknown = Object.getPrototypeOf(input);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const o = input as Record<string, unknown>;
  const { v, id, kind, reason, actor, iss, issuedAt } = o;
  if (
    v !== SCHEMA_VERSION ||
    !isIdentifier(id, 64) ||
    typeof reason !== 'string' ||
    !REASONS.has(reason) ||
    !isIdentifier(actor, 256) ||
    !isIdentifier(iss, 512) ||
    !isInstant(issuedAt) ||
    typeof kind !== 'string' ||
    !Object.hasOwn(FIELDS, kind)
  ) {
    return undefined;
  }
  if (!onlyKnownFields(o, FIELDS[kind as RevocationEvent['kind']])) return undefined;
  // Object literals, one shape per kind: spreading a shared envelope costs more than all the
  // checks above together (V8 builds spread results slowly, in dictionary mode).
  const r = reason as RevocationReason;
  switch (kind) {
    case 'token': {
      const { jti, expiresAt } = o;
      if (!isIdentifier(jti, 256) || !isInstant(expiresAt)) return undefined;
      return { v: SCHEMA_VERSION, id, kind, reason: r, actor, iss, issuedAt, jti, expiresAt };
    }
    case 'session': {
      const { sid } = o;
      if (!isIdentifier(sid, 256)) return undefined;
      return { v: SCHEMA_VERSION, id, kind, reason: r, actor, iss, issuedAt, sid };
    }
    case 'key': {
      const { kid } = o;
      if (!isIdentifier(kid, 256)) return undefined;
      return { v: SCHEMA_VERSION, id, kind, reason: r, actor, iss, issuedAt, kid };
    }
    case 'subject': {
      const { sub, cutoff, generation } = o;
      if (!isIdentifier(sub, 256) || !isInstant(cutoff) || !isGeneration(generation)) {
        return undefined;
      }
      return generation === undefined
        ? { v: SCHEMA_VERSION, id, kind, reason: r, actor, iss, issuedAt, sub, cutoff }
        : { v: SCHEMA_VERSION, id, kind, reason: r, actor, iss, issuedAt, sub, cutoff, generation };
    }
    case 'global': {
      const { cutoff, generation } = o;
      if (!isInstant(cutoff) || !isGeneration(generation)) return undefined;
      return generation === undefined
        ? { v: SCHEMA_VERSION, id, kind, reason: r, actor, iss, issuedAt, cutoff }
        : { v: SCHEMA_VERSION, id, kind, reason: r, actor, iss, issuedAt, cutoff, generation };
    }
    default:
      return undefined;
  }
}
