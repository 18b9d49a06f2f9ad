/**
 * The feed's snapshots: a file per fingerprint in the configured directory holding the sink's
 * state and the exact positions it reflects, so a start merges the state and reads only what
 * came after. Loading decides, from the header alone, whether the snapshot may be used at all,
 * and where each partition resumes: a snapshot is never trusted to hide an event — anything it
 * cannot vouch for is read from the topic.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SinkSnapshots } from '../feed.js';
import type { VerifierLogger } from '../logger.js';
import type { PartitionOffsets } from './client.js';
import type { ResolvedSnapshotOptions } from './options.js';
import type { SnapshotAnchor, SnapshotPosition } from './replay-tracker.js';
import { partitionKey } from './replay-tracker.js';
import { decodeSnapshotHeader, decodeSnapshotState, encodeSnapshot } from './snapshot-codec.js';

/** Version of the header below; a file of another is not used. */
const SNAPSHOT_FORMAT = 1;

/** What a snapshot's header says. */
interface SnapshotHeader {
  readonly format: number;
  readonly fingerprint: string;
  readonly clusterId: string;
  readonly topics: readonly string[];
  /** When it was taken, ms (the verifier's clock). */
  readonly createdAt: number;
  readonly positions: readonly SnapshotPosition[];
}

/** How one partition resumes from a snapshot. */
export type ResumePlan =
  /** From the partition's start: the snapshot vouches for nothing in it. */
  | { readonly kind: 'start'; readonly topic: string; readonly partition: number }
  /** From the anchor, which must read back unchanged; then from `resumeAt`. */
  | {
      readonly kind: 'anchor';
      readonly topic: string;
      readonly partition: number;
      readonly anchor: SnapshotAnchor;
      readonly resumeAt: number;
    };

/** A snapshot that may be used: its state (merged once every anchor matched) and the plan. */
export interface UsableSnapshot {
  readonly state: unknown;
  readonly plans: readonly ResumePlan[];
  readonly createdAt: number;
}

/** Options of {@link FeedSnapshots}. */
export interface FeedSnapshotsOptions extends ResolvedSnapshotOptions {
  readonly topics: readonly string[];
  readonly sink: SinkSnapshots;
  readonly logger: VerifierLogger;
  readonly now: () => number;
}

/** Why a snapshot found is not used: logged, and the start replays in full. */
type Unusable = string;

/**
 * Where each partition resumes, or why the snapshot cannot be used at all. Pure, so that its
 * cases are tested one by one.
 */
export function resumePlans(
  positions: readonly SnapshotPosition[],
  offsets: readonly PartitionOffsets[],
): readonly ResumePlan[] | Unusable {
  const saved = new Map(positions.map((p) => [partitionKey(p.topic, p.partition), p]));
  const plans: ResumePlan[] = [];
  for (const { topic, partition, low, high } of offsets) {
    const position = saved.get(partitionKey(topic, partition));
    // A partition the snapshot did not know, or knew nothing of that is still in the topic.
    if (position === undefined || position.offset <= low) {
      plans.push({ kind: 'start', topic, partition });
      continue;
    }
    if (position.offset > high)
      return `${topic}/${partition} ends at ${high}, before the snapshot's position ${position.offset}: the topic was truncated or recreated`;
    if (position.anchor === null) {
      // Only transaction markers were read there: nothing to compare, so read it again.
      plans.push({ kind: 'start', topic, partition });
      continue;
    }
    if (position.anchor.offset < low)
      return `${topic}/${partition} no longer holds the snapshot's last record (offset ${position.anchor.offset}, the partition starts at ${low})`;
    plans.push({
      kind: 'anchor',
      topic,
      partition,
      anchor: position.anchor,
      resumeAt: position.offset,
    });
  }
  return plans;
}

function isHeader(
  value: Record<string, unknown>,
): value is Record<string, unknown> & SnapshotHeader {
  return (
    value['format'] === SNAPSHOT_FORMAT &&
    typeof value['fingerprint'] === 'string' &&
    typeof value['clusterId'] === 'string' &&
    Array.isArray(value['topics']) &&
    typeof value['createdAt'] === 'number' &&
    Array.isArray(value['positions']) &&
    value['positions'].every(isPosition)
  );
}

function isPosition(value: unknown): value is SnapshotPosition {
  const p = value as Partial<Record<keyof SnapshotPosition, unknown>> | null;
  if (p === null || typeof p !== 'object') return false;
  const anchor = p.anchor as Partial<Record<keyof SnapshotAnchor, unknown>> | null | undefined;
  return (
    typeof p.topic === 'string' &&
    Number.isSafeInteger(p.partition) &&
    Number.isSafeInteger(p.offset) &&
    (anchor === null ||
      (typeof anchor === 'object' &&
        Number.isSafeInteger(anchor?.offset) &&
        typeof anchor?.timestamp === 'number'))
  );
}

/**
 * Loads and saves one feed's snapshots.
 *
 * @example
 * ```ts
 * const snapshots = new FeedSnapshots({ directory, intervalMs, topics, sink: sink.snapshots, logger, now });
 * const usable = await snapshots.load(clusterId, offsets);
 * await snapshots.save(clusterId, tracker.positions());
 * ```
 */
export class FeedSnapshots {
  readonly #options: FeedSnapshotsOptions;
  /** The file of this fingerprint and these topics. */
  readonly path: string;
  /** How often a ready feed saves, ms. */
  readonly intervalMs: number;
  /** The positions of the last snapshot loaded or saved: nothing new, nothing to save. */
  #lastPositions = '';

  constructor(options: FeedSnapshotsOptions) {
    this.#options = options;
    this.intervalMs = options.intervalMs;
    const name = createHash('sha256')
      .update(JSON.stringify([options.sink.fingerprint, [...options.topics].sort()]))
      .digest('hex')
      .slice(0, 24);
    this.path = join(options.directory, `revocations-${name}.snapshot`);
  }

  /**
   * The snapshot to resume from, or `undefined` (none, or one that may not be used: logged).
   * Never throws.
   */
  async load(
    clusterId: string,
    offsets: readonly PartitionOffsets[],
  ): Promise<UsableSnapshot | undefined> {
    const { logger, sink, topics } = this.#options;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        logger.warn(
          { err: error, path: this.path },
          'cannot read the revocation snapshot; replaying in full',
        );
      return undefined;
    }
    const refuse = (why: string, error?: unknown): undefined => {
      logger.warn(
        { err: error, path: this.path, why },
        'revocation snapshot not used; replaying in full',
      );
      return undefined;
    };
    try {
      const { header, bodyAt } = decodeSnapshotHeader(bytes);
      if (!isHeader(header)) return refuse('header of another format');
      if (header.fingerprint !== sink.fingerprint)
        return refuse('taken by a verifier trusting other issuers, sources or lifetimes');
      if (header.clusterId !== clusterId) return refuse(`taken of cluster ${header.clusterId}`);
      if (JSON.stringify([...header.topics].sort()) !== JSON.stringify([...topics].sort()))
        return refuse(`taken of topics ${header.topics.join(',')}`);
      const plans = resumePlans(header.positions, offsets);
      if (typeof plans === 'string') return refuse(plans);
      const state = decodeSnapshotState(bytes, header, bodyAt);
      this.#lastPositions = JSON.stringify(header.positions);
      return { state, plans, createdAt: header.createdAt };
    } catch (error) {
      return refuse('unreadable', error);
    }
  }

  /**
   * Merges a loaded state into the sink.
   *
   * @throws TypeError, having merged nothing, when the state is not the sink's.
   */
  sinkRestore(state: unknown): void {
    this.#options.sink.restore(state);
  }

  /**
   * Saves the sink's state with `positions`, unless nothing moved since the last one or the
   * sink cannot give its state now. The file is replaced whole (written aside, then renamed).
   * Never throws.
   *
   * @returns whether a snapshot was written.
   */
  async save(clusterId: string, positions: readonly SnapshotPosition[]): Promise<boolean> {
    const { logger, sink, topics, now } = this.#options;
    const key = JSON.stringify(positions);
    if (key === this.#lastPositions) return false;
    const startedAt = performance.now();
    const state = sink.capture();
    if (state === undefined) {
      logger.debug({}, 'revocation snapshot postponed: a brake is still being checked');
      return false;
    }
    const header: SnapshotHeader = {
      format: SNAPSHOT_FORMAT,
      fingerprint: sink.fingerprint,
      clusterId,
      topics,
      createdAt: now(),
      positions,
    };
    const aside = `${this.path}.${process.pid}-${randomUUID()}.tmp`;
    try {
      const bytes = await encodeSnapshot({ ...header }, state);
      const encodedMs = performance.now() - startedAt;
      await mkdir(this.#options.directory, { recursive: true });
      await writeFile(aside, bytes, { mode: 0o600 });
      await rename(aside, this.path);
      this.#lastPositions = key;
      logger.debug(
        { path: this.path, bytes: bytes.length, encodedMs: Math.round(encodedMs) },
        'revocation snapshot saved',
      );
      return true;
    } catch (error) {
      logger.warn({ err: error, path: this.path }, 'cannot save the revocation snapshot');
      await rm(aside, { force: true }).catch(() => {});
      return false;
    }
  }
}
