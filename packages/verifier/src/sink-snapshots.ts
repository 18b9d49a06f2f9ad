/**
 * The verifier's state for a feed's snapshots: every trusted issuer's blocklist as plain data,
 * and the fingerprint of what decides which events those blocklists hold. A snapshot taken by a
 * verifier trusting other issuers, or letting other sources speak for them, or forgetting rules
 * on other lifetimes, could hold rules this one would refuse or lack rules it would apply: its
 * fingerprint differs, and the feed replays in full instead.
 */
import { createHash } from 'node:crypto';
import type { SinkSnapshots } from './feed.js';
import type { ResolvedAuthority } from './issuers.js';
import { checkBlocklistState } from './lib/blocklist-state.js';
import type { BlocklistState } from './lib/blocklist-state.js';
import type { IssuerTrust } from './token-verification.js';

/** Bumped whenever the captured state's shape or meaning changes. */
const STATE_FORMAT = 1;

/** Options of {@link verifierSnapshots}. */
export interface VerifierSnapshotsOptions {
  readonly trusts: readonly IssuerTrust[];
  readonly clockToleranceMs: number;
  /** Whether a delivered event is still being checked (a brake awaiting its keys). */
  readonly checking: () => boolean;
}

/** The brake keys as they decide which brakes count: the mode, or the key set itself. */
function brakeKeysIdentity(brakeKeys: ResolvedAuthority['brakeKeys']): unknown {
  if (brakeKeys === 'issuer' || brakeKeys === false) return brakeKeys;
  return 'url' in brakeKeys ? { url: brakeKeys.url.href } : { keys: brakeKeys.keys };
}

/** The fingerprint of a verifier's intake: a hash of everything listed in the module comment. */
export function intakeFingerprint(
  trusts: readonly IssuerTrust[],
  clockToleranceMs: number,
): string {
  const identity = {
    format: STATE_FORMAT,
    clockToleranceMs,
    issuers: trusts.map(({ issuer }) => ({
      issuer: issuer.issuer,
      maxTokenLifetimeMs: issuer.maxTokenLifetimeMs,
      sources:
        issuer.authority.sources === 'any'
          ? 'any'
          : [...issuer.authority.sources].map(([source, kinds]) => [source, [...kinds].sort()]),
      brakeKeys: brakeKeysIdentity(issuer.authority.brakeKeys),
    })),
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

/**
 * The verifier's {@link SinkSnapshots}.
 *
 * @example
 * ```ts
 * feed.start({ event, poison, snapshots: verifierSnapshots({ trusts, clockToleranceMs, checking }) });
 * ```
 */
export function verifierSnapshots(options: VerifierSnapshotsOptions): SinkSnapshots {
  const { trusts, clockToleranceMs, checking } = options;
  const byIssuer = new Map(trusts.map((trust) => [trust.issuer.issuer, trust]));
  return {
    fingerprint: intakeFingerprint(trusts, clockToleranceMs),
    capture: () => {
      // A brake being checked is past the feed's position but not in any blocklist yet: a
      // snapshot now would hide it from the next start.
      if (checking()) return undefined;
      return { issuers: trusts.map(({ blocklist }) => blocklist.exportState()) };
    },
    restore: (state) => {
      const issuers = (state as { readonly issuers?: unknown } | null)?.issuers;
      if (!Array.isArray(issuers)) throw new TypeError('verifier state: issuers must be an array');
      // Every part is checked before any is merged: a bad state changes nothing.
      const parts = issuers.map((part: unknown, i): [IssuerTrust, BlocklistState] => {
        const issuer = (part as { readonly issuer?: unknown } | null)?.issuer;
        const trust = typeof issuer === 'string' ? byIssuer.get(issuer) : undefined;
        if (trust === undefined)
          throw new TypeError(`verifier state: issuers[${i}] is not a trusted issuer`);
        return [trust, checkBlocklistState(part, trust.issuer.issuer)];
      });
      for (const [trust, part] of parts) trust.blocklist.restoreState(part);
    },
  };
}
