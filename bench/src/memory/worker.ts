/**
 * B5 worker (run with `--expose-gc`): heap bytes per rule of each kind, and per entry of the
 * verified-token cache, as `heapUsed` deltas between two full collections.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createVerifier } from '@revocation-fabric/verifier';
import type { RevocationFeed, RevocationSink } from '@revocation-fabric/verifier';
import { createEvent, decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import type { Message } from '../lib/child.js';
import { MAX_TOKEN_LIFETIME_MS } from '../lib/kafka.js';
import {
  BENCH_AUDIENCE,
  BENCH_ISSUER,
  TOKEN_LIFETIME_S,
  createBenchKey,
  keySet,
  mintToken,
} from '../lib/tokens.js';
import { fail, listen, reply } from '../lib/worker-side.js';
import { benchVerifier } from '../lib/bench-verifier.js';
import { BENCH_BRAKE_KEYS, signBenchBrake } from '../lib/brake-key.js';

export type MeasuredKind = 'token' | 'session' | 'subject' | 'key';

export type MemoryRequest =
  | { readonly type: 'rules'; readonly kind: MeasuredKind; readonly count: number }
  | { readonly type: 'floor'; readonly count: number }
  | {
      readonly type: 'cache';
      readonly brokers: readonly string[];
      readonly topic: string;
      readonly cacheSize: number;
      readonly entries: number;
    };

export interface RulesMemory extends Message {
  readonly type: 'rules';
  readonly kind: MeasuredKind;
  readonly count: number;
  readonly heapBytes: number;
  readonly bytesPerRule: number;
  /** Decode (JSON + schema validation) and apply, per event, µs. */
  readonly decodeApplyUs: number;
}

/**
 * The floor of an exact per-target rule set: a `Map` from each target (a fresh 36-character
 * UUID string, as the blocklist keeps its own copy) to a small integer (a Smi: forget time and
 * reason packed, no object). No exact set of strings in V8 can hold a rule for less.
 */
export interface FloorMemory extends Message {
  readonly type: 'floor';
  readonly count: number;
  readonly bytesPerRule: number;
}

export interface CacheMemory extends Message {
  readonly type: 'cache';
  readonly cacheSize: number;
  readonly entries: number;
  /** heapUsed growth from creating the verifier to ready, bytes (includes the cache's slot arrays). */
  readonly setupBytes: number;
  /** heapUsed growth from filling the cache with `entries` verified tokens, bytes. */
  readonly fillBytes: number;
  readonly bytesPerEntry: number;
  /** Length of one token string (the cache key), characters. */
  readonly tokenChars: number;
}

function settle(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the memory worker needs --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function template(kind: MeasuredKind): RevocationEvent {
  const now = Date.now();
  const envelope = {
    reason: 'logout',
    actor: randomUUID(),
    iss: BENCH_ISSUER,
    issuedAt: now,
  } as const;
  switch (kind) {
    case 'token':
      return createEvent({
        ...envelope,
        kind,
        jti: randomUUID(),
        expiresAt: now + TOKEN_LIFETIME_S * 1000,
      });
    case 'session':
      return createEvent({ ...envelope, kind, sid: randomUUID() });
    case 'subject':
      return createEvent({
        ...envelope,
        reason: 'ban',
        kind,
        sub: randomUUID(),
        cutoff: now,
        generation: 3,
      });
    case 'key':
      return createEvent({ ...envelope, reason: 'key-compromise', kind, kid: randomUUID() });
  }
}

/** A realistic target: UUIDs for jti, sid and sub; an RFC 7638 thumbprint (43 chars) for kid. */
function withTarget(event: RevocationEvent): RevocationEvent {
  const id = randomUUID();
  switch (event.kind) {
    case 'token':
      return { ...event, id, jti: randomUUID() };
    case 'session':
      return { ...event, id, sid: randomUUID() };
    case 'subject':
      return { ...event, id, sub: randomUUID() };
    case 'key':
      return { ...event, id, kid: randomBytes(32).toString('base64url') };
    case 'global':
      return event;
  }
}

/**
 * A feed this worker drives itself, through the verifier's public feed seam: the rules are
 * measured where they live (the verifier's blocklist) without a broker in the way.
 */
class DrivenFeed implements RevocationFeed {
  sink: RevocationSink | undefined;
  start(sink: RevocationSink): void {
    this.sink = sink;
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  isReady(): boolean {
    return false;
  }
  lastContactAt(): number | undefined {
    return undefined;
  }
  stats() {
    return {
      ready: false,
      lastContactAt: undefined,
      lagByPartition: {},
      applied: 0,
      poisonByCode: {},
    };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function rulesMemory(kind: MeasuredKind, count: number): Promise<RulesMemory> {
  const base = template(kind);
  const feed = new DrivenFeed();
  const verifier = createVerifier({
    issuer: BENCH_ISSUER,
    audience: BENCH_AUDIENCE,
    algorithms: ['ES256'],
    jwks: keySet(await createBenchKey()),
    maxTokenLifetimeMs: MAX_TOKEN_LIFETIME_MS,
    // Key rules are brakes: applied only when signed by a key trusted for brakes.
    authority: { brakeKeys: BENCH_BRAKE_KEYS },
    revocations: () => feed,
  });
  // The verifier starts its feed on the next tick (after registering metrics, if any).
  while (feed.sink === undefined) await new Promise((resolve) => setImmediate(resolve));
  const sink = feed.sink;
  const before = settle();
  const started = performance.now();
  // Signing is the issuer's cost, not the verifier's: timed apart and taken out.
  let signingMs = 0;
  for (let i = 0; i < count; i++) {
    // Through the codec, as the Kafka feed does: the stored strings come from a parsed record.
    const value = JSON.stringify(withTarget(base));
    const payload = Buffer.from(value);
    let signature: string | undefined;
    if (kind === 'key') {
      const signStarted = performance.now();
      signature = await signBenchBrake(value);
      signingMs += performance.now() - signStarted;
    }
    sink.event(decodeEvent(payload), { source: 'auth.revocations', payload, signature });
  }
  // A brake is applied once its signature is checked; ready() waits for those checks.
  await verifier.ready();
  const elapsedMs = performance.now() - started - signingMs;
  const after = settle();
  const held = verifier.stats().rulesByKind[kind];
  await verifier.close();
  if (held !== count) throw new Error(`blocklist holds ${held} ${kind} rules, expected ${count}`);
  const heapBytes = after - before;
  return {
    type: 'rules',
    kind,
    count,
    heapBytes,
    bytesPerRule: Math.round((heapBytes / count) * 10) / 10,
    decodeApplyUs: Math.round(((elapsedMs * 1000) / count) * 100) / 100,
  };
}

async function cacheMemory(
  request: Extract<MemoryRequest, { type: 'cache' }>,
): Promise<CacheMemory> {
  const key = await createBenchKey();
  const probe = await mintToken(key);
  const h0 = settle();
  const verifier = benchVerifier({
    jwks: keySet(key),
    brokers: request.brokers,
    topic: request.topic,
    clientId: 'bench-b5',
    cacheSize: request.cacheSize,
  });
  await verifier.ready();
  const h1 = settle();
  // Tokens are minted in chunks and dropped once verified: only the cache keeps them.
  for (let done = 0; done < request.entries;) {
    const chunk: string[] = [];
    for (let i = 0; i < 500 && done < request.entries; i++, done++)
      chunk.push(await mintToken(key));
    for (const token of chunk) await verifier.verify(token);
  }
  const h2 = settle();
  await verifier.close();
  const fillBytes = h2 - h1;
  return {
    type: 'cache',
    cacheSize: request.cacheSize,
    entries: request.entries,
    setupBytes: h1 - h0,
    fillBytes,
    bytesPerEntry: request.entries > 0 ? Math.round((fillBytes / request.entries) * 10) / 10 : 0,
    tokenChars: probe.length,
  };
}

function floorMemory(count: number): FloorMemory {
  const before = settle();
  const held = new Map<string, number>();
  // randomUUID() returns a concatenation (a V8 cons string); a held key is a flat private copy,
  // made the way the blocklist makes its own (a JSON round trip).
  for (let i = 0; i < count; i++) {
    held.set(JSON.parse(JSON.stringify(randomUUID())) as string, i & 0x3fffffff);
  }
  const after = settle();
  if (held.size !== count) throw new Error(`floor map holds ${held.size} of ${count}`);
  return { type: 'floor', count, bytesPerRule: Math.round(((after - before) / count) * 10) / 10 };
}

listen<MemoryRequest | { type: 'stop' }>(async (message) => {
  switch (message.type) {
    case 'stop':
      process.exit(0);
      break;
    case 'rules':
      reply(await rulesMemory(message.kind, message.count));
      break;
    case 'cache':
      reply(await cacheMemory(message));
      break;
    case 'floor':
      reply(floorMemory(message.count));
      break;
  }
});
process.on('uncaughtException', fail);
