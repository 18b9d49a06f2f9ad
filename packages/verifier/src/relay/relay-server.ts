/**
 * A host's revocation relay: one feed (Kafka, typically) per host instead of one per pod. It
 * keeps every event it read, until the protocol says no verifier can need it any more, and
 * streams them to the verifiers on its host over loopback HTTP (or a Unix socket): the whole log
 * to a new stream, then each event as it arrives. The broker then sees one consumer per host,
 * not one per pod — the fleet benchmark (B10) measured what each consumer costs it.
 *
 * The relay vouches for nothing it has not got: it tells a stream it is caught up (`ready`) only
 * once the relay's own feed has replayed its topics and the stream has been sent all of it, and
 * reports its contact with Kafka (`contact`) only while ready. A verifier behind it therefore
 * keeps NOT_READY and staleness end to end: a relay that loses Kafka, or dies, makes its
 * verifiers stale; a restarted relay makes them wait for its replay.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { forgetAt, ruleFromEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import type { EventOrigin, RevocationFeed, RevocationFeedFactory } from '../feed.js';
import { silentLogger } from '../logger.js';
import type { VerifierLogger } from '../logger.js';
import { RELAY_STREAM_PATH, relayLine } from './wire.js';

/** Options of {@link createRevocationRelay}. */
export interface RevocationRelayOptions {
  /** Where the relay reads events: `kafkaRevocations(...)` from `@revocation-fabric/verifier/kafka`. */
  readonly revocations: RevocationFeedFactory;
  /**
   * Where verifiers connect: a TCP port (on `host`, default `127.0.0.1`; 0 picks a free one),
   * or the path of a Unix socket.
   */
  readonly listen: { readonly port: number; readonly host?: string } | { readonly path: string };
  /**
   * The longest token lifetime of any issuer its verifiers trust, ms. Events are kept until the
   * protocol's forget time under it, and the topics' retention is judged against it. Required.
   */
  readonly maxTokenLifetimeMs: number;
  /** Clock tolerance, ms. Default 5000 (the verifier's). */
  readonly clockToleranceMs?: number | undefined;
  /** The feed goes stale after this long without contact, ms. Default 30000. */
  readonly maxStalenessMs?: number | undefined;
  /** How often each stream is told the relay's contact with Kafka, ms. Default 1000. */
  readonly contactIntervalMs?: number | undefined;
  readonly logger?: VerifierLogger | undefined;
  /** The clock, ms since the epoch. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** Where a started relay listens. */
export type RelayAddress = { readonly url: string } | { readonly socketPath: string };

/** A relay's view of itself. */
export interface RelayStats {
  readonly epoch: string;
  readonly ready: boolean;
  /** Events read since start. */
  readonly events: number;
  /** Events kept (the others were forgotten). */
  readonly kept: number;
  readonly streams: number;
  readonly lastContactAt: number | undefined;
}

/** A running relay (see {@link createRevocationRelay}). */
export interface RevocationRelay {
  /** Starts the feed and listens. Once. */
  start(): Promise<RelayAddress>;
  /** Resolves once the relay's feed has replayed its topics. */
  ready(): Promise<void>;
  stats(): RelayStats;
  /** Ends every stream, stops listening and closes the feed. Idempotent. */
  close(): Promise<void>;
}

/** A stream written faster than its verifier reads is cut past this many bytes; it resumes. */
const MAX_BUFFERED_BYTES = 64 * 2 ** 20;
/** How often forgotten events are dropped from the head of the log, ms. */
const PRUNE_INTERVAL_MS = 60_000;

/** One verifier's stream. */
interface Stream {
  readonly res: ServerResponse;
  /** The next sequence number to write. */
  next: number;
  /** Waiting for 'drain'. */
  paused: boolean;
  /** Sent `ready`. */
  caughtUp: boolean;
}

/**
 * Creates a host's revocation relay; verifiers on the host read from it with
 * `relayRevocations({ url })`.
 *
 * @example
 * ```ts
 * const relay = createRevocationRelay({
 *   revocations: kafkaRevocations({ brokers: ['kafka-1:9092'], topic: 'auth.revocations' }),
 *   listen: { port: 7071 },
 *   maxTokenLifetimeMs: 15 * 60_000,
 * });
 * await relay.start();
 * ```
 */
export function createRevocationRelay(options: RevocationRelayOptions): RevocationRelay {
  if (typeof options.revocations !== 'function')
    throw new TypeError('revocations must be a feed factory, such as kafkaRevocations(...)');
  const maxTokenLifetimeMs = options.maxTokenLifetimeMs;
  if (!Number.isSafeInteger(maxTokenLifetimeMs) || maxTokenLifetimeMs <= 0)
    throw new TypeError(
      `maxTokenLifetimeMs must be a positive integer of ms, got ${String(maxTokenLifetimeMs)}`,
    );
  return new Relay(options);
}

class Relay implements RevocationRelay {
  readonly #options: RevocationRelayOptions;
  readonly #logger: VerifierLogger;
  readonly #now: () => number;
  readonly #policy: { readonly maxTokenLifetimeMs: number; readonly clockToleranceMs: number };
  readonly #epoch = randomUUID();
  readonly #feed: RevocationFeed;
  /** Event lines; `#log[i]` has sequence number `#base + i`. */
  #log: string[] = [];
  /** When each kept event may be forgotten, ms. */
  #forgetAt: number[] = [];
  #base = 0;
  /** Events read before the feed was ready: a stream is caught up once sent these. */
  #readyMark: number | undefined;
  readonly #streams = new Set<Stream>();
  readonly #server: Server;
  #timers: NodeJS.Timeout[] = [];
  #started = false;
  #closing: Promise<void> | undefined;

  constructor(options: RevocationRelayOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? (() => Date.now());
    const clockToleranceMs = options.clockToleranceMs ?? 5_000;
    this.#policy = { maxTokenLifetimeMs: options.maxTokenLifetimeMs, clockToleranceMs };
    this.#feed = options.revocations({
      logger: this.#logger,
      now: this.#now,
      clockToleranceMs,
      maxStalenessMs: options.maxStalenessMs ?? 30_000,
      maxTokenLifetimeMs: () => options.maxTokenLifetimeMs,
    });
    this.#feed.ready().catch(() => {});
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  async start(): Promise<RelayAddress> {
    if (this.#started) throw new Error('RevocationRelay.start() called twice');
    this.#started = true;
    this.#feed.start({
      event: (event, origin) => this.#append(event, origin),
      poison: () => {},
    });
    this.#feed.ready().then(
      () => {
        this.#readyMark = this.#base + this.#log.length;
        this.#logger.info({ events: this.#readyMark }, 'revocation relay ready');
        for (const stream of this.#streams) this.#pump(stream);
      },
      // A feed that never becomes ready (closed first, or a topic too short) leaves the
      // relay's verifiers NOT_READY: nothing else to do here.
      () => {},
    );
    const contact = setInterval(
      () => this.#tellContact(),
      this.#options.contactIntervalMs ?? 1_000,
    );
    const prune = setInterval(() => this.#prune(), PRUNE_INTERVAL_MS);
    this.#timers = [contact, prune];
    for (const timer of this.#timers) timer.unref();
    const { listen } = this.#options;
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      if ('path' in listen) this.#server.listen(listen.path, resolve);
      else this.#server.listen(listen.port, listen.host ?? '127.0.0.1', resolve);
    });
    const address = this.#server.address();
    if (typeof address === 'string') return { socketPath: address };
    if (address === null) throw new Error('relay server has no address');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { url: `http://${host}:${address.port}` };
  }

  ready(): Promise<void> {
    return this.#feed.ready();
  }

  stats(): RelayStats {
    return {
      epoch: this.#epoch,
      ready: this.#readyMark !== undefined,
      events: this.#base + this.#log.length,
      kept: this.#log.length,
      streams: this.#streams.size,
      lastContactAt: this.#feed.lastContactAt(),
    };
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const timer of this.#timers) clearInterval(timer);
      for (const stream of this.#streams) stream.res.end();
      this.#streams.clear();
      this.#server.closeAllConnections();
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
      await this.#feed.close();
    })();
    return this.#closing;
  }

  #append(event: RevocationEvent, origin: EventOrigin): void {
    const value =
      typeof origin.payload === 'string'
        ? origin.payload
        : Buffer.from(origin.payload).toString('utf8');
    this.#log.push(
      relayLine({
        type: 'event',
        seq: this.#base + this.#log.length,
        source: origin.source,
        value,
        ...(origin.timestamp === undefined ? {} : { timestamp: origin.timestamp }),
        ...(origin.signature === undefined ? {} : { signature: origin.signature }),
        ...(origin.trace === undefined ? {} : { traceparent: origin.trace.traceparent }),
        ...(origin.trace?.tracestate === undefined ? {} : { tracestate: origin.trace.tracestate }),
      }),
    );
    this.#forgetAt.push(forgetAt(ruleFromEvent(event), this.#policy));
    for (const stream of this.#streams) if (!stream.paused) this.#pump(stream);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://relay');
    if (req.method !== 'GET' || url.pathname !== RELAY_STREAM_PATH) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'NOT_FOUND', message: `GET ${RELAY_STREAM_PATH} only` }));
      return;
    }
    // A stream of this relay's epoch resumes where it stopped; any other starts over.
    const from = Number(url.searchParams.get('from'));
    const resume =
      url.searchParams.get('epoch') === this.#epoch && Number.isSafeInteger(from) && from >= 0;
    const start = Math.max(this.#base, resume ? from : 0);
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    res.write(relayLine({ type: 'hello', epoch: this.#epoch, from: start }));
    const stream: Stream = { res, next: start, paused: false, caughtUp: false };
    this.#streams.add(stream);
    res.on('close', () => this.#streams.delete(stream));
    this.#pump(stream);
  }

  /** Writes what the stream has not got, until the socket asks to wait. */
  #pump(stream: Stream): void {
    const { res } = stream;
    stream.next = Math.max(stream.next, this.#base);
    while (stream.next < this.#base + this.#log.length) {
      const line = this.#log[stream.next - this.#base] as string;
      stream.next += 1;
      if (!res.write(line)) {
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          this.#logger.warn({ buffered: res.writableLength }, 'relay stream too slow; cut');
          res.destroy();
          return;
        }
        stream.paused = true;
        res.once('drain', () => {
          stream.paused = false;
          this.#pump(stream);
        });
        return;
      }
    }
    if (!stream.caughtUp && this.#readyMark !== undefined && stream.next >= this.#readyMark) {
      stream.caughtUp = true;
      res.write(relayLine({ type: 'ready' }));
    }
  }

  #tellContact(): void {
    // Only a ready relay vouches for its contact: before, its verifiers must not be fresh.
    if (this.#readyMark === undefined) return;
    const at = this.#feed.lastContactAt();
    const line = relayLine({
      type: 'contact',
      ageMs: at === undefined ? null : Math.max(0, this.#now() - at),
    });
    for (const stream of this.#streams) if (stream.caughtUp) stream.res.write(line);
  }

  /** Drops forgotten events from the head of the log (they reject nothing any more). */
  #prune(): void {
    const now = this.#now();
    let drop = 0;
    while (drop < this.#forgetAt.length && (this.#forgetAt[drop] as number) < now) drop += 1;
    if (drop === 0) return;
    this.#log = this.#log.slice(drop);
    this.#forgetAt = this.#forgetAt.slice(drop);
    this.#base += drop;
  }
}
