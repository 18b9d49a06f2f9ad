/**
 * A blocklist's live rules as plain data — what a snapshot stores — and the check that data
 * read back is such a state before anything of it is merged. A snapshot file is checksummed and
 * written by the verifier itself, so the check guards against our own mistakes (a format
 * change, a state of another issuer), not an attacker: it is exact but cheap, one pass.
 */
import { REVOCATION_REASONS } from '@revocation-fabric/protocol';
import type { FrozenTokenColumns } from './frozen-tokens.js';
import { REASON_SLOTS } from './packed-token-rule.js';
import type { CutoffRule, KeyRule, RevocationRule, SessionRule } from '@revocation-fabric/protocol';

/** Token rules as parallel arrays, one index per jti: compact to store, fast to read back. */
export interface TokenRulesState {
  readonly targets: readonly string[];
  /** Forget time and reason packed as the blocklist keeps them (lib/packed-token-rule.ts). */
  readonly packed: readonly number[];
  /** `issuedAt` (ms) of the event the reason came from. */
  readonly updatedAt: readonly number[];
  /** Id of the event the reason came from. */
  readonly eventIds: readonly string[];
}

/**
 * One issuer's live rules, as `Blocklist.exportState` gives them — or as a snapshot reads them
 * back, its token rules then possibly as bytes (`FrozenTokenColumns`).
 */
export interface BlocklistState {
  /** The issuer whose rules these are. */
  readonly issuer: string;
  readonly tokens: TokenRulesState | FrozenTokenColumns;
  readonly sessions: readonly SessionRule[];
  readonly subjects: readonly CutoffRule[];
  readonly keys: readonly KeyRule[];
  readonly global: CutoffRule | null;
}

const REASONS = new Set<string>(REVOCATION_REASONS);

function fail(path: string, expected: string): never {
  throw new TypeError(`blocklist state: ${path} must be ${expected}`);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array');
  return value as readonly unknown[];
}

function finiteOrAbsent(value: unknown, path: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value)))
    fail(path, 'a finite number when present');
}

/** Whether token rules are a snapshot's byte columns. */
export function isFrozenColumns(
  tokens: TokenRulesState | FrozenTokenColumns,
): tokens is FrozenTokenColumns {
  return 'targetStarts' in tokens;
}

function validPacked(entry: unknown): boolean {
  return (
    typeof entry === 'number' &&
    Number.isSafeInteger(entry) &&
    entry >= 0 &&
    entry % REASON_SLOTS < REVOCATION_REASONS.length
  );
}

function checkStarts(starts: unknown, count: number, bytes: number, path: string): void {
  if (!(starts instanceof Uint32Array) || starts.length !== count + 1 || starts[0] !== 0)
    fail(path, `${count + 1} offsets from 0`);
  for (let i = 0; i < count; i++)
    if ((starts[i + 1] as number) < (starts[i] as number)) fail(`${path}[${i + 1}]`, 'ascending');
  if (starts[count] !== bytes) fail(`${path}[${count}]`, `the ${bytes} bytes`);
}

function checkFrozen(tokens: Record<string, unknown>): FrozenTokenColumns {
  const { count, packed, updatedAt, targets, targetStarts, eventIds, eventIdStarts } = tokens;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0)
    fail('tokens.count', 'a count');
  if (!(packed instanceof Float64Array) || packed.length !== count)
    fail('tokens.packed', `${count} numbers`);
  if (!(updatedAt instanceof Float64Array) || updatedAt.length !== count)
    fail('tokens.updatedAt', `${count} numbers`);
  if (!Buffer.isBuffer(targets) || !Buffer.isBuffer(eventIds)) fail('tokens', 'byte columns');
  checkStarts(targetStarts, count, targets.length, 'tokens.targetStarts');
  checkStarts(eventIdStarts, count, eventIds.length, 'tokens.eventIdStarts');
  for (let i = 0; i < count; i++) {
    if (!validPacked(packed[i])) fail(`tokens.packed[${i}]`, 'a packed token rule');
    if (!Number.isFinite(updatedAt[i])) fail(`tokens.updatedAt[${i}]`, 'a finite number');
  }
  for (let i = 0; i < targets.length; i++)
    if ((targets[i] as number) > 0x7f) fail('tokens.targets', 'ASCII');
  return tokens as unknown as FrozenTokenColumns;
}

function checkTokens(value: unknown): TokenRulesState | FrozenTokenColumns {
  const tokens = record(value, 'tokens');
  if ('targetStarts' in tokens) return checkFrozen(tokens);
  const targets = array(tokens['targets'], 'tokens.targets');
  const packed = array(tokens['packed'], 'tokens.packed');
  const updatedAt = array(tokens['updatedAt'], 'tokens.updatedAt');
  const eventIds = array(tokens['eventIds'], 'tokens.eventIds');
  const n = targets.length;
  if (packed.length !== n || updatedAt.length !== n || eventIds.length !== n)
    fail('tokens', 'parallel arrays of one length');
  for (let i = 0; i < n; i++) {
    const entry = packed[i];
    if (typeof targets[i] !== 'string') fail(`tokens.targets[${i}]`, 'a string');
    if (typeof eventIds[i] !== 'string') fail(`tokens.eventIds[${i}]`, 'a string');
    if (typeof updatedAt[i] !== 'number' || !Number.isFinite(updatedAt[i]))
      fail(`tokens.updatedAt[${i}]`, 'a finite number');
    if (!validPacked(entry)) fail(`tokens.packed[${i}]`, 'a packed token rule');
  }
  return tokens as unknown as TokenRulesState;
}

function checkRule<R extends RevocationRule>(
  value: unknown,
  path: string,
  kinds: readonly R['kind'][],
  issuer: string,
): R {
  const rule = record(value, path);
  if (!(kinds as readonly unknown[]).includes(rule['kind'])) fail(`${path}.kind`, kinds.join('|'));
  if (rule['issuer'] !== issuer) fail(`${path}.issuer`, JSON.stringify(issuer));
  if (typeof rule['target'] !== 'string') fail(`${path}.target`, 'a string');
  if (typeof rule['eventId'] !== 'string') fail(`${path}.eventId`, 'a string');
  if (typeof rule['reason'] !== 'string' || !REASONS.has(rule['reason']))
    fail(`${path}.reason`, 'a revocation reason');
  if (typeof rule['updatedAt'] !== 'number' || !Number.isFinite(rule['updatedAt']))
    fail(`${path}.updatedAt`, 'a finite number');
  for (const field of ['cutoff', 'generation', 'generationCutoff'])
    finiteOrAbsent(rule[field], `${path}.${field}`);
  return rule as unknown as R;
}

function checkRules<R extends RevocationRule>(
  value: unknown,
  path: string,
  kind: R['kind'],
  issuer: string,
): readonly R[] {
  return array(value, path).map((rule, i) => checkRule<R>(rule, `${path}[${i}]`, [kind], issuer));
}

/**
 * `value` as a {@link BlocklistState} of `issuer`.
 *
 * @throws TypeError naming the first member at fault.
 */
export function checkBlocklistState(value: unknown, issuer: string): BlocklistState {
  const state = record(value, 'state');
  if (state['issuer'] !== issuer) fail('issuer', JSON.stringify(issuer));
  const global = state['global'];
  return {
    issuer,
    tokens: checkTokens(state['tokens']),
    sessions: checkRules<SessionRule>(state['sessions'], 'sessions', 'session', issuer),
    subjects: checkRules<CutoffRule>(state['subjects'], 'subjects', 'subject', issuer),
    keys: checkRules<KeyRule>(state['keys'], 'keys', 'key', issuer),
    global: global === null ? null : checkRule<CutoffRule>(global, 'global', ['global'], issuer),
  };
}
