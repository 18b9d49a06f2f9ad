import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REVOCATION_REASONS, RULE_KINDS } from './event.js';
import { fastValidate } from './fast-validate.js';
import { revocationEventSchema } from './schema.js';

const T0 = 1_800_000_000_000;
const reason = fc.constantFrom(...REVOCATION_REASONS);
const id = fc.string({ minLength: 1, maxLength: 64 });
const instant = fc.integer({ min: T0, max: T0 + 1e9 });
const envelope = fc.record({
  v: fc.constant(1),
  id,
  reason,
  actor: fc.string({ minLength: 1, maxLength: 20 }),
  iss: fc.constantFrom('https://auth.test', 'https://idp.test/realms/x'),
  issuedAt: instant,
});
const generation = fc.option(fc.nat(), { nil: undefined });

/** Events the schema accepts, of every kind. */
const validEvent = fc.oneof(
  fc
    .record({ e: envelope, jti: id, expiresAt: instant })
    .map(({ e, ...r }) => ({ ...e, kind: 'token', ...r })),
  fc.record({ e: envelope, sid: id }).map(({ e, ...r }) => ({ ...e, kind: 'session', ...r })),
  fc.record({ e: envelope, kid: id }).map(({ e, ...r }) => ({ ...e, kind: 'key', ...r })),
  fc
    .record({ e: envelope, sub: id, cutoff: instant, generation })
    .map(({ e, generation: g, ...r }) => ({
      ...e,
      kind: 'subject',
      ...r,
      ...(g === undefined ? {} : { generation: g }),
    })),
  fc.record({ e: envelope, cutoff: instant, generation }).map(({ e, generation: g, ...r }) => ({
    ...e,
    kind: 'global',
    ...r,
    ...(g === undefined ? {} : { generation: g }),
  })),
);

/** Values at and around every limit the schema sets, and of every wrong type. */
const limits = fc.constantFrom(
  undefined,
  null,
  '',
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(256),
  'x'.repeat(257),
  'x'.repeat(512),
  'x'.repeat(513),
  -1,
  0,
  1.5,
  8.64e15,
  8.64e15 + 1,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  {},
  '1',
  2,
  ...RULE_KINDS,
  ...REVOCATION_REASONS,
  'logout ',
);
const suspicious = fc.oneof(limits, fc.anything());

const FIELDS = [
  'v',
  'id',
  'kind',
  'reason',
  'actor',
  'iss',
  'issuedAt',
  'jti',
  'expiresAt',
  'sid',
  'sub',
  'cutoff',
  'generation',
  'kid',
  'extra',
  '__proto__',
  'constructor',
];

/** A valid event with one to three fields replaced, added or removed. */
const mutatedEvent = fc
  .tuple(
    validEvent,
    fc.array(fc.tuple(fc.constantFrom(...FIELDS), suspicious, fc.boolean()), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([event, edits]) => {
    const copy: Record<string, unknown> = { ...event };
    for (const [field, value, remove] of edits) {
      if (remove) delete copy[field];
      else
        Object.defineProperty(copy, field, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return copy;
  });

function reference(input: unknown): unknown {
  const parsed = revocationEventSchema.safeParse(input);
  return parsed.success ? parsed.data : undefined;
}

describe('fastValidate', () => {
  it('accepts every event the schema accepts, with the same result', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        expect(fastValidate(event)).toStrictEqual(reference(event));
        expect(fastValidate(event)).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses exactly what the schema refuses, on events with fields broken, added or removed', () => {
    let refused = 0;
    fc.assert(
      fc.property(mutatedEvent, (input) => {
        const expected = reference(input);
        if (expected === undefined) refused += 1;
        expect(fastValidate(input)).toEqual(expected);
        // Through JSON as well, which is how records arrive.
        const text = JSON.stringify(input);
        if (text !== undefined) {
          const parsed: unknown = JSON.parse(text);
          expect(fastValidate(parsed)).toEqual(reference(parsed));
        }
      }),
      { numRuns: 3000 },
    );
    // The mutations must mostly break events, or this property tests little.
    expect(refused).toBeGreaterThan(1000);
  });

  it('draws the line at every limit exactly where the schema does', () => {
    const oneFieldAtALimit = fc.tuple(validEvent, fc.nat(), limits).map(([event, index, value]) => {
      const fields = Object.keys(event);
      const field = fields[index % fields.length] ?? 'v';
      return { ...event, [field]: value };
    });
    fc.assert(
      fc.property(oneFieldAtALimit, (input) => {
        expect(fastValidate(input)).toEqual(reference(input));
      }),
      { numRuns: 3000 },
    );
  });

  it('stands aside for objects with another prototype, so zod alone judges inherited keys', () => {
    fc.assert(
      fc.property(
        validEvent,
        fc.constantFrom({ extra: 1 }, {}, { kind: 'global' }),
        (event, proto) => {
          const input: unknown = Object.assign(Object.create(proto) as object, event);
          expect(fastValidate(input)).toBeUndefined();
        },
      ),
    );
    const keyEvent = {
      v: 1,
      id: 'e',
      kind: 'key',
      kid: 'k',
      reason: 'admin',
      actor: 'a',
      iss: 'i',
      issuedAt: 1,
    };
    // The schema refuses an inherited unknown key; through validateEvent that stays so.
    const inherited = Object.assign(Object.create({ extra: 1 }) as object, keyEvent);
    expect(reference(inherited)).toBeUndefined();
    // A null prototype is still a plain record: the fast path judges it.
    const bare = Object.assign(Object.create(null) as object, keyEvent);
    expect(fastValidate(bare)).toStrictEqual(reference(bare));
  });

  it('refuses what is not an object at all, as the schema does', () => {
    fc.assert(
      fc.property(suspicious, (input) => {
        expect(fastValidate(input)).toEqual(reference(input));
      }),
    );
  });
});
