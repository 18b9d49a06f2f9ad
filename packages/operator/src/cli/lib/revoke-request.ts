/**
 * What `revoke` sends: the admin route of each kind of revocation, and how long `--wait` asks
 * the user-service to wait for receipts.
 */
import { UsageError } from '../errors.js';
import { parseInteger } from './arguments.js';

/** What `revoke` can revoke. */
export const REVOKE_TARGETS = ['session', 'user', 'token', 'key', 'global'] as const;

/** One of {@link REVOKE_TARGETS}. */
export type RevokeTarget = (typeof REVOKE_TARGETS)[number];

/** Seconds `--wait` waits when given without a value. */
export const DEFAULT_WAIT_SECONDS = 5;
/** The longest `--wait`, seconds: the user-service holds a request at most this long. */
export const MAX_WAIT_SECONDS = 30;

/** A revocation, ready to send. */
export interface RevokeRequest {
  readonly what: RevokeTarget;
  /** The id revoked (`*` for global); for a token, the token itself. */
  readonly target: string;
  readonly method: 'POST' | 'DELETE';
  readonly path: string;
  readonly json?: unknown;
}

function isTarget(value: string | undefined): value is RevokeTarget {
  return (REVOKE_TARGETS as readonly (string | undefined)[]).includes(value);
}

/**
 * The admin route of a revocation.
 *
 * @throws {@link UsageError} for an unknown kind or a missing target.
 */
export function revokeRequest(
  positionals: readonly string[],
  options: { readonly endSessions: boolean },
): RevokeRequest {
  const [what, target, ...extra] = positionals;
  if (!isTarget(what)) {
    throw new UsageError(
      what === undefined
        ? `revoke what? one of ${REVOKE_TARGETS.join(', ')}`
        : `cannot revoke ${JSON.stringify(what)}: one of ${REVOKE_TARGETS.join(', ')}`,
      'revoke',
    );
  }
  const wanted = what === 'global' ? 0 : 1;
  const given = (target === undefined ? 0 : 1) + extra.length;
  if (given !== wanted) {
    throw new UsageError(
      wanted === 0
        ? `revoke global takes no target, got ${JSON.stringify(target)}`
        : `revoke ${what} takes one ${what === 'user' ? 'user id' : what === 'token' ? 'access token (or - for stdin)' : what === 'key' ? 'key id (kid)' : 'session id (sid)'}${given > 1 ? `, got ${given} words` : ''}`,
      'revoke',
    );
  }
  if (options.endSessions && what !== 'global')
    throw new UsageError('--end-sessions goes with revoke global only', 'revoke');
  const id = encodeURIComponent(target ?? '');
  switch (what) {
    case 'session':
      return { what, target: target ?? '', method: 'DELETE', path: `/admin/sessions/${id}` };
    case 'user':
      return { what, target: target ?? '', method: 'POST', path: `/admin/users/${id}/revoke` };
    case 'token':
      return {
        what,
        target: target ?? '',
        method: 'POST',
        path: '/admin/tokens/revoke',
        json: { token: target },
      };
    case 'key':
      return { what, target: target ?? '', method: 'POST', path: `/admin/keys/${id}/revoke` };
    case 'global':
      return {
        what,
        target: '*',
        method: 'POST',
        path: '/admin/emergency-cutoff',
        json: { endSessions: options.endSessions },
      };
  }
}

/**
 * `--wait` → seconds: absent → none, bare → {@link DEFAULT_WAIT_SECONDS}.
 *
 * @throws {@link UsageError} for anything but whole seconds from 1 to 300.
 */
export function waitSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === '') return DEFAULT_WAIT_SECONDS;
  const seconds = parseInteger(value, 'wait', 1, 'revoke');
  if (seconds > MAX_WAIT_SECONDS)
    throw new UsageError(`--wait is at most ${MAX_WAIT_SECONDS} seconds, got ${seconds}`, 'revoke');
  return seconds;
}
