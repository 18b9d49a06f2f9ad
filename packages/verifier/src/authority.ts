/**
 * Who may state rules for an issuer. Kafka ACLs say who may write a topic, not what a writer
 * may say: any principal that may write the topic could speak for any issuer and any kind. So
 * each trusted issuer names the sources (topics, each written by one producer principal) whose
 * events may state its rules, per kind; and its brakes (`global`, `key`) count only when signed
 * by a key the issuer controls outside Kafka. Everything else is refused, counted and logged,
 * never applied. Checked once per event, so the replay's cost per record is one map lookup.
 */
import { RULE_KINDS } from '@revocation-fabric/protocol';
import type { RuleKind } from '@revocation-fabric/protocol';
import type { VerifierLogger } from './logger.js';
import { OncePerWindow } from './lib/once-per-window.js';
import { describe, validateString } from './lib/validate.js';

/**
 * Why a valid event was refused: it came from a source the issuer does not authorize for its
 * kind; it is a brake of an issuer whose brakes this verifier never applies; it is a brake
 * without a signature; its signature does not verify against the issuer's brake keys.
 */
export const REFUSED_EVENT_REASONS = [
  'SOURCE_NOT_AUTHORIZED',
  'BRAKE_NOT_TRUSTED',
  'BRAKE_UNSIGNED',
  'BRAKE_SIGNATURE_INVALID',
] as const;

/** One of {@link REFUSED_EVENT_REASONS}. */
export type RefusedEventReason = (typeof REFUSED_EVENT_REASONS)[number];

/** A source allowed to state some kinds of rule only. */
export interface RevocationSourceGrant {
  /** The source: for the Kafka feed, a topic name. */
  readonly source: string;
  /** The rule kinds events from this source may state. */
  readonly kinds: readonly RuleKind[];
}

/** The sources an issuer authorizes, each with the kinds it may state; `any` = every source read. */
export type ResolvedSources = 'any' | ReadonlyMap<string, ReadonlySet<RuleKind>>;

const ALL_KINDS: ReadonlySet<RuleKind> = new Set(RULE_KINDS);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks an issuer's `revocations.sources`: topic names (every kind) or `{ source, kinds }`.
 *
 * @throws TypeError naming the option at fault.
 */
export function resolveSources(value: unknown, name: string): ResolvedSources {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(
      `${name} must be a non-empty array of sources (topic names or { source, kinds }), got ${describe(value)}`,
    );
  }
  const sources = new Map<string, Set<RuleKind>>();
  for (const [index, entry] of value.entries()) {
    const at = `${name}[${index}]`;
    const { source, kinds } = isObject(entry)
      ? {
          source: validateString(entry['source'], `${at}.source`),
          kinds: resolveKinds(entry['kinds'], `${at}.kinds`),
        }
      : { source: validateString(entry, at), kinds: ALL_KINDS };
    if (sources.has(source))
      throw new TypeError(`${at}: source ${describe(source)} is listed twice`);
    sources.set(source, new Set(kinds));
  }
  return sources;
}

function resolveKinds(value: unknown, name: string): ReadonlySet<RuleKind> {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty array of rule kinds, got ${describe(value)}`);
  }
  for (const kind of value) {
    if (!ALL_KINDS.has(kind as RuleKind)) {
      throw new TypeError(
        `${name}: ${describe(kind)} is not a rule kind (${RULE_KINDS.join(', ')})`,
      );
    }
  }
  return new Set(value as RuleKind[]);
}

/** Does this issuer's configuration let events from `source` state rules of `kind`? */
export function sourceAllows(sources: ResolvedSources, source: string, kind: RuleKind): boolean {
  if (sources === 'any') return true;
  return sources.get(source)?.has(kind) ?? false;
}

/** Refusals are logged at most once per reason and issuer in this window, ms; counts are exact. */
const REFUSAL_LOG_WINDOW_MS = 60_000;

/** Counts refused events by reason, and logs them (rate-limited): a flood must not flood the log. */
export class RefusedEvents {
  readonly #counts: Partial<Record<RefusedEventReason, number>> = {};
  readonly #logWindow: OncePerWindow;
  readonly #logger: VerifierLogger;

  constructor(logger: VerifierLogger, now: () => number) {
    this.#logger = logger;
    this.#logWindow = new OncePerWindow(REFUSAL_LOG_WINDOW_MS, now);
  }

  /** Counts one refused event. */
  refuse(
    reason: RefusedEventReason,
    event: { readonly id: string; readonly iss: string; readonly kind: RuleKind },
    source: string,
  ): void {
    const count = (this.#counts[reason] ?? 0) + 1;
    this.#counts[reason] = count;
    if (!this.#logWindow.due(`${reason} ${event.iss}`)) return;
    this.#logger.warn(
      { reason, count, issuer: event.iss, kind: event.kind, eventId: event.id, source },
      reason === 'SOURCE_NOT_AUTHORIZED'
        ? 'refused a revocation event: its source may not state this rule for this issuer'
        : 'refused a revocation brake: not signed by a key this issuer trusts for brakes',
    );
  }

  /** Refused events per reason, a copy. */
  counts(): Partial<Record<RefusedEventReason, number>> {
    return { ...this.#counts };
  }
}

/**
 * What {@link longestTokenLifetimeMs} reads of a trusted issuer; the verifier's resolved issuers
 * fit. `authority.sources` is `'any'` or the sources (topics) that may state the issuer's rules.
 */
export interface IssuerLifetime {
  readonly maxTokenLifetimeMs: number;
  readonly authority?: { readonly sources: 'any' | ReadonlyMap<string, unknown> } | undefined;
}

/**
 * The longest token lifetime (ms) among the issuers whose rules `source` may state: the
 * retention that source's topic needs is judged by it. An issuer without a source list
 * (`'any'`) counts for every source. `undefined` when no trusted issuer may speak through
 * `source`: nothing read there is ever applied, so its retention does not matter.
 *
 * @example
 * ```ts
 * longestTokenLifetimeMs(resolved.issuers, 'auth.revocations.gateway'); // 300000
 * ```
 */
export function longestTokenLifetimeMs(
  issuers: readonly IssuerLifetime[],
  source: string,
): number | undefined {
  let longest: number | undefined;
  for (const issuer of issuers) {
    const sources = issuer.authority?.sources ?? 'any';
    if (sources !== 'any' && !sources.has(source)) continue;
    longest = Math.max(longest ?? 0, issuer.maxTokenLifetimeMs);
  }
  return longest;
}
