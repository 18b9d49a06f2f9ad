/**
 * Authenticated connections indexed by the claims revocation rules target, so a rule reaches
 * its sockets by lookup rather than by scanning every connection: a logout touches the one
 * `sid` bucket, a ban the one `sub` bucket, whatever the number of sockets in the process.
 * Only the global rule has to look at everything, as it concerns everything.
 */
import { rejects } from '@revocation-fabric/protocol';
import type { RejectOptions, RevocationRule, TokenFacts } from '@revocation-fabric/protocol';

/** What the index needs of an entry: the facts of the token it currently holds. */
export interface Indexed {
  readonly facts: TokenFacts;
}

type Bucketed = Map<string, Set<Indexed>>;

function put(map: Bucketed, key: string | undefined, entry: Indexed): void {
  if (key === undefined) return;
  let bucket = map.get(key);
  if (bucket === undefined) {
    bucket = new Set();
    map.set(key, bucket);
  }
  bucket.add(entry);
}

function drop(map: Bucketed, key: string | undefined, entry: Indexed): void {
  if (key === undefined) return;
  const bucket = map.get(key);
  if (bucket === undefined) return;
  bucket.delete(entry);
  // Empty buckets are removed so the maps shrink with the connections, not with history.
  if (bucket.size === 0) map.delete(key);
}

/**
 * Entries by `jti`, `sid`, `sub` and `kid`. An entry's facts must not change while it is
 * indexed: remove it, change them, add it again.
 */
export class SocketIndex<E extends Indexed> {
  readonly #all = new Set<E>();
  readonly #byJti: Bucketed = new Map();
  readonly #bySid: Bucketed = new Map();
  readonly #bySub: Bucketed = new Map();
  readonly #byKid: Bucketed = new Map();
  /** The tolerance `rejects` bounds cutoff rules with: the verifier's, as its blocklist's. */
  readonly #rejectOptions: RejectOptions;

  /** @param clockToleranceMs - the verifier's clock tolerance; the protocol's default if omitted. */
  constructor(clockToleranceMs?: number) {
    this.#rejectOptions = clockToleranceMs === undefined ? {} : { clockToleranceMs };
  }

  /** Number of indexed entries. */
  get size(): number {
    return this.#all.size;
  }

  /** Whether the entry is indexed. */
  has(entry: E): boolean {
    return this.#all.has(entry);
  }

  add(entry: E): void {
    if (this.#all.has(entry)) return;
    this.#all.add(entry);
    const { jti, sid, sub, kid } = entry.facts;
    put(this.#byJti, jti, entry);
    put(this.#bySid, sid, entry);
    put(this.#bySub, sub, entry);
    put(this.#byKid, kid, entry);
  }

  /** Removes the entry; returns whether it was indexed. */
  remove(entry: E): boolean {
    if (!this.#all.delete(entry)) return false;
    const { jti, sid, sub, kid } = entry.facts;
    drop(this.#byJti, jti, entry);
    drop(this.#bySid, sid, entry);
    drop(this.#bySub, sub, entry);
    drop(this.#byKid, kid, entry);
    return true;
  }

  /**
   * The entries whose token the rule rejects. Candidates come from the rule's target bucket;
   * each is then judged by the protocol's `rejects`, because a bucket hit is not a rejection:
   * a subject cutoff spares the tokens issued after it.
   */
  matching(rule: RevocationRule): E[] {
    const candidates = this.#candidates(rule);
    const matched: E[] = [];
    if (candidates === undefined) return matched;
    for (const entry of candidates)
      if (rejects(rule, entry.facts, this.#rejectOptions)) matched.push(entry as E);
    return matched;
  }

  /** Every entry, for shutdown. */
  entries(): E[] {
    return [...this.#all];
  }

  #candidates(rule: RevocationRule): ReadonlySet<Indexed> | undefined {
    switch (rule.kind) {
      case 'token':
        return this.#byJti.get(rule.target);
      case 'session':
        return this.#bySid.get(rule.target);
      case 'subject':
        return this.#bySub.get(rule.target);
      case 'key':
        return this.#byKid.get(rule.target);
      case 'global':
        return this.#all;
    }
  }
}
