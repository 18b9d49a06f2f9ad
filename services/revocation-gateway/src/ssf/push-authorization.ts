/**
 * The secret the gateway issues to a transmitter as the push stream's `authorization_header`
 * (RFC 8935 §2 leaves receiver authentication to the receiver). Stored in the database, so
 * every instance and every restart checks the same one; compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { GatewayDb } from '../db/schema.js';

/**
 * The provider's push authorization header value, issuing one on first use. Two instances
 * racing both read the winner's.
 *
 * @example
 * ```ts
 * const header = await pushAuthorization(db, 'keycloak', Date.now()); // 'Bearer …'
 * ```
 */
export async function pushAuthorization(
  db: GatewayDb,
  provider: string,
  now: number,
): Promise<string> {
  await db
    .insertInto('ssfReceivers')
    .values({
      provider,
      pushAuthorization: `Bearer ${randomBytes(32).toString('base64url')}`,
      streamId: null,
      audience: null,
      updatedAt: now,
    })
    .onConflict((oc) => oc.column('provider').doNothing())
    .execute();
  const row = await db
    .selectFrom('ssfReceivers')
    .select('pushAuthorization')
    .where('provider', '=', provider)
    .executeTakeFirstOrThrow();
  return row.pushAuthorization;
}

/**
 * Remembers the stream the receiver adopted or created.
 *
 * @example
 * ```ts
 * await saveStreamId(db, 'keycloak', { streamId, audience: ['gateway/' + streamId] }, Date.now());
 * ```
 */
export async function saveStreamId(
  db: GatewayDb,
  provider: string,
  stream: { readonly streamId: string; readonly audience: readonly string[] },
  now: number,
): Promise<void> {
  await db
    .updateTable('ssfReceivers')
    .set({ streamId: stream.streamId, audience: JSON.stringify(stream.audience), updatedAt: now })
    .where('provider', '=', provider)
    .execute();
}

/**
 * The stream id and audience remembered for a provider (each `undefined` until set up).
 *
 * @example
 * ```ts
 * const { audience } = await savedStream(db, 'keycloak');
 * ```
 */
export async function savedStream(
  db: GatewayDb,
  provider: string,
): Promise<{ streamId: string | undefined; audience: string[] | undefined }> {
  const row = await db
    .selectFrom('ssfReceivers')
    .select(['streamId', 'audience'])
    .where('provider', '=', provider)
    .executeTakeFirst();
  const audience: unknown = row?.audience == null ? undefined : JSON.parse(row.audience);
  return {
    streamId: row?.streamId ?? undefined,
    audience: Array.isArray(audience)
      ? audience.filter((a): a is string => typeof a === 'string')
      : undefined,
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether a request's Authorization header is the one issued. Both sides are hashed first, so
 * the comparison takes the same time whatever the lengths.
 *
 * @example
 * ```ts
 * if (!authorizationMatches(issued, req.headers.authorization)) refuse(…);
 * ```
 */
export function authorizationMatches(issued: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(issued), digest(presented));
}
