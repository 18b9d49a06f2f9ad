/**
 * Subject identifiers (RFC 9493, SSF 1.0 §3) → the token claims they name at one issuer. Only
 * identifiers that name a claim of that issuer's tokens exactly are mapped: `iss_sub` and
 * `jwt_id` of the provider's own issuer, a complex subject's `session` (an `opaque` id = `sid`)
 * and `user`, and `aliases` holding one of those. `email`, `phone_number`, `account`, `did`,
 * `uri`, an `opaque` user and any identifier of another issuer are not guessed at: the tokens do
 * not carry them, and a wrong guess would revoke someone else. A complex subject whose `user` is
 * one of those is refused whole, its `session` included.
 */
import { isJsonObject } from '../tokens/claim-checks.js';

/** What a subject identifier names in the provider's tokens. */
export type SubjectFacts =
  | {
      readonly kind: 'claims';
      /** The `sub` claim, when the subject names a user. */
      readonly sub: string | undefined;
      /** The `sid` claim, when the subject names a session. */
      readonly sid: string | undefined;
    }
  | { readonly kind: 'token'; readonly jti: string }
  | { readonly kind: 'unmappable'; readonly description: string };

/** Keycloak's session id for "every session of this user" (observed on 26.7). */
export const ALL_SESSIONS = 'ALL';

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A simple identifier naming a user (or a token) of `issuer`. */
function simple(id: Record<string, unknown>, issuer: string): SubjectFacts {
  const format = id['format'];
  if (format === 'iss_sub' || format === 'jwt_id') {
    if (id['iss'] !== issuer) {
      return {
        kind: 'unmappable',
        description: `a ${format} subject of another issuer (${String(id['iss'])}) names no token of ${issuer}`,
      };
    }
    if (format === 'iss_sub' && nonEmpty(id['sub']))
      return { kind: 'claims', sub: id['sub'], sid: undefined };
    if (format === 'jwt_id' && nonEmpty(id['jti'])) return { kind: 'token', jti: id['jti'] };
    return { kind: 'unmappable', description: `a ${format} subject without its members` };
  }
  if (format === 'aliases' && Array.isArray(id['identifiers'])) {
    // Every alias names the same subject, so any one that maps is exact.
    for (const alias of id['identifiers'] as unknown[]) {
      if (!isJsonObject(alias)) continue;
      const facts = simple(alias, issuer);
      if (facts.kind !== 'unmappable') return facts;
    }
    return { kind: 'unmappable', description: 'no alias names a token claim of this issuer' };
  }
  return {
    kind: 'unmappable',
    description: `subject format ${JSON.stringify(format ?? null)} cannot be mapped to the token claims of ${issuer}`,
  };
}

/**
 * Maps a subject identifier to token claims of `issuer`.
 *
 * @example
 * ```ts
 * subjectFacts({ format: 'iss_sub', iss, sub: 'u1' }, iss); // { kind: 'claims', sub: 'u1', sid: undefined }
 * subjectFacts({ format: 'email', email: 'a@b.c' }, iss);  // { kind: 'unmappable', … }
 * ```
 */
export function subjectFacts(subject: unknown, issuer: string): SubjectFacts {
  if (!isJsonObject(subject))
    return { kind: 'unmappable', description: 'the subject is not a JSON object' };
  const format = subject['format'];
  const complex =
    format === 'complex' || (format === undefined && ('user' in subject || 'session' in subject));
  if (!complex) return simple(subject, issuer);
  const session = subject['session'];
  const sessionId =
    isJsonObject(session) && session['format'] === 'opaque' && nonEmpty(session['id'])
      ? session['id']
      : undefined;
  // Keycloak's "log out user" names the session `ALL`: every session of the user. No real sid
  // is `ALL`, and reading it as the user (a subject cutoff) is the stricter reading.
  const sid = sessionId === ALL_SESSIONS ? undefined : sessionId;
  const user = isJsonObject(subject['user']) ? simple(subject['user'], issuer) : undefined;
  if (user?.kind === 'token') return user;
  // A user of another issuer (or one we cannot name) makes the whole subject foreign: its
  // opaque session id may be another provider's, and revoking that sid here could end a
  // stranger's session.
  if (user?.kind === 'unmappable') return user;
  if (subject['user'] !== undefined && user === undefined) {
    return { kind: 'unmappable', description: 'the complex subject’s user is not an identifier' };
  }
  const sub = user?.kind === 'claims' ? user.sub : undefined;
  if (sid === undefined && sub === undefined) {
    return {
      kind: 'unmappable',
      description:
        'the complex subject names neither a session (opaque id) nor a user of this issuer',
    };
  }
  return { kind: 'claims', sub, sid };
}
