/**
 * B5 — memory: heap bytes per rule, by kind, and per verified-token cache entry. One child
 * process (`--expose-gc`) per measurement, so nothing else lives in the heap being measured.
 */
import { randomBytes } from 'node:crypto';
import type { BenchContext } from '../context.js';
import { WorkerProcess } from '../lib/child.js';
import { createRevocationTopic, deleteTopics } from '../lib/kafka.js';
import type {
  CacheMemory,
  FloorMemory,
  MeasuredKind,
  MemoryRequest,
  RulesMemory,
} from './worker.js';

export interface B5Result {
  readonly method: string;
  readonly rules: readonly RulesMemory[];
  /** The floor of an exact per-target set (see FloorMemory); absent in older files. */
  readonly floor?: FloorMemory;
  readonly cache: {
    readonly filled: CacheMemory;
    readonly empty: CacheMemory;
    /** Preallocated per-slot cost of the LRU (its key/value/index/TTL arrays), bytes. */
    readonly slotBytes: number;
    /** bytesPerEntry + slotBytes: what one more unit of `cacheSize` costs when full. */
    readonly bytesPerEntryTotal: number;
  };
}

type MemoryReply = RulesMemory | CacheMemory | FloorMemory;

async function measure<K extends MemoryReply['type']>(
  request: MemoryRequest,
  type: K,
): Promise<Extract<MemoryReply, { type: K }>> {
  const worker = WorkerProcess.start<MemoryRequest | { type: 'stop' }, MemoryReply>(
    'memory/worker',
    `b5-${request.type}`,
    { execArgv: ['--expose-gc', '--max-old-space-size=4096'] },
  );
  try {
    worker.send(request);
    return await worker.next(type, 15 * 60_000);
  } finally {
    await worker.stop();
  }
}

export async function runB5(ctx: BenchContext): Promise<B5Result> {
  const count = ctx.quick ? 200_000 : 1_000_000;
  const rules: RulesMemory[] = [];
  for (const kind of ['token', 'session', 'subject', 'key'] satisfies MeasuredKind[]) {
    const result = await measure({ type: 'rules', kind, count }, 'rules');
    ctx.log(`B5: ${kind}: ${result.bytesPerRule} B/rule`);
    rules.push(result);
  }
  const floor = await measure({ type: 'floor', count }, 'floor');
  ctx.log(`B5: floor (Map<string, Smi>): ${floor.bytesPerRule} B/rule`);
  const topic = `bench-b5-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  await createRevocationTopic(ctx.brokers, topic);
  try {
    const entries = ctx.quick ? 5_000 : 50_000;
    const filled = await measure(
      { type: 'cache', brokers: ctx.brokers, topic, cacheSize: entries, entries },
      'cache',
    );
    const empty = await measure(
      { type: 'cache', brokers: ctx.brokers, topic, cacheSize: 1, entries: 0 },
      'cache',
    );
    const slotBytes = Math.round(((filled.setupBytes - empty.setupBytes) / entries) * 10) / 10;
    ctx.log(`B5: cache: ${filled.bytesPerEntry} B/entry + ${slotBytes} B/slot`);
    return {
      method: `heapUsed after two forced GCs, before and after: applying ${count.toLocaleString('en-US')} decoded events of one kind to a Blocklist (UUID targets; kid a 43-character thumbprint); filling a verifier's cache with ${entries.toLocaleString('en-US')} verified tokens (minted in chunks and dropped, so only the cache holds them). The LRU preallocates its slot arrays: their cost is the difference of the verifier's set-up heap with cacheSize ${entries} and with 1.`,
      rules,
      floor,
      cache: {
        filled,
        empty,
        slotBytes,
        bytesPerEntryTotal: Math.round((filled.bytesPerEntry + slotBytes) * 10) / 10,
      },
    };
  } finally {
    await deleteTopics(ctx.brokers, [topic]);
  }
}
