/**
 * The revocation feed of a verifier behind its host's relay (relay-server.ts): one long-lived
 * stream over loopback HTTP or a Unix socket, resumed where it stopped after a break. Its
 * promises are the Kafka feed's: ready only once the relay said this stream has everything the
 * relay had when it became ready; contact only as the relay reports its own contact with Kafka,
 * and only while this stream is caught up — so a dead relay, or a relay cut off from Kafka,
 * makes its verifiers stale.
 */
import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { ProtocolError, decodeEvent } from '@revocation-fabric/protocol';
import { NotReadyError } from '../errors.js';
import type {
  FeedStats,
  PoisonCode,
  RevocationFeed,
  RevocationFeedContext,
  RevocationSink,
} from '../feed.js';
import type { RevocationFeedFactory } from '../feed.js';
import type { VerifierLogger } from '../logger.js';
import { RELAY_STREAM_PATH, RelayLineError, parseRelayLine } from './wire.js';
import type { EventLine, RelayLine } from './wire.js';

/** Options of {@link relayRevocations}: where the host's relay listens, one of the two. */
export type RelayRevocationsOptions =
  /** Its URL, `http://127.0.0.1:7071`. */
  | { readonly url: string }
  /** Its Unix socket. */
  | { readonly socketPath: string };

/** First wait before connecting again after a break, ms; doubles up to the max. */
const RECONNECT_MS = 250;
const RECONNECT_MAX_MS = 5_000;

function target(
  options: RelayRevocationsOptions,
): { socketPath: string } | { host: string; port: number } {
  if ('socketPath' in options) {
    if (typeof options.socketPath !== 'string' || options.socketPath === '')
      throw new TypeError('relay socketPath must be a non-empty path');
    return { socketPath: options.socketPath };
  }
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError(`relay url must be an http URL, got ${JSON.stringify(options.url)}`);
  }
  if (url.protocol !== 'http:') throw new TypeError(`relay url must be http:, got ${url.protocol}`);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
}

/**
 * The revocation feed of a verifier reading from its host's relay, for `createVerifier`'s
 * `revocations` option.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ ...options, revocations: relayRevocations({ url: 'http://127.0.0.1:7071' }) });
 * ```
 * @throws TypeError for an address that is neither an http URL nor a socket path.
 */
export function relayRevocations(options: RelayRevocationsOptions): RevocationFeedFactory {
  const address = target(options);
  return (context) => new RelayRevocationFeed(address, context);
}

class RelayRevocationFeed implements RevocationFeed {
  readonly #address: { socketPath: string } | { host: string; port: number };
  readonly #context: RevocationFeedContext;
  readonly #logger: VerifierLogger;
  readonly #ready: Promise<void>;
  #resolveReady: () => void = () => {};
  #rejectReady: (error: Error) => void = () => {};
  #isReady = false;
  #sink: RevocationSink | undefined;
  #request: ClientRequest | undefined;
  #retry: NodeJS.Timeout | undefined;
  #wait = RECONNECT_MS;
  /** The relay's epoch, and the next sequence number to deliver. */
  #epoch = '';
  #next = 0;
  /** The current stream sent `ready`: contact it reports counts. */
  #caughtUp = false;
  #lastContactAt: number | undefined;
  #delivered = 0;
  readonly #poison: Partial<Record<PoisonCode, number>> = {};
  #closed = false;

  constructor(
    address: { socketPath: string } | { host: string; port: number },
    context: RevocationFeedContext,
  ) {
    this.#address = address;
    this.#context = context;
    this.#logger = context.logger;
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    this.#ready.catch(() => {});
  }

  start(sink: RevocationSink): void {
    if (this.#sink !== undefined) throw new Error('relay feed started twice');
    this.#sink = sink;
    this.#connect();
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  isReady(): boolean {
    return this.#isReady;
  }

  lastContactAt(): number | undefined {
    return this.#lastContactAt;
  }

  stats(): FeedStats {
    return {
      ready: this.#isReady,
      lastContactAt: this.#lastContactAt,
      lagByPartition: {},
      applied: this.#delivered,
      poisonByCode: { ...this.#poison },
    };
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      clearTimeout(this.#retry);
      this.#request?.destroy();
      if (!this.#isReady)
        this.#rejectReady(
          new NotReadyError({ reason: 'CLOSED', message: 'verifier closed before it was ready' }),
        );
    }
    return Promise.resolve();
  }

  #connect(): void {
    if (this.#closed) return;
    this.#caughtUp = false;
    const path = `${RELAY_STREAM_PATH}?epoch=${encodeURIComponent(this.#epoch)}&from=${this.#next}`;
    const req = request({ ...this.#address, path, method: 'GET' }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        this.#broken(new Error(`relay answered ${String(res.statusCode)}`));
        return;
      }
      this.#wait = RECONNECT_MS;
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        let end = pending.indexOf('\n');
        while (end >= 0) {
          this.#line(pending.slice(0, end));
          pending = pending.slice(end + 1);
          end = pending.indexOf('\n');
        }
      });
      res.on('end', () => this.#broken(new Error('relay ended the stream')));
      res.on('error', (error) => this.#broken(error));
    });
    req.on('error', (error) => this.#broken(error));
    req.end();
    this.#request = req;
  }

  /** The stream broke: connect again after a backoff, resuming where it stopped. */
  #broken(error: Error): void {
    if (this.#closed || this.#retry !== undefined) return;
    this.#request?.destroy();
    this.#request = undefined;
    this.#caughtUp = false;
    this.#logger.warn(
      { err: error, retryInMs: this.#wait },
      'revocation relay stream broke; connecting again',
    );
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#connect();
    }, this.#wait);
    this.#retry.unref();
    this.#wait = Math.min(this.#wait * 2, RECONNECT_MAX_MS);
  }

  #line(text: string): void {
    let line: RelayLine;
    try {
      line = parseRelayLine(text);
    } catch (error) {
      if (!(error instanceof RelayLineError)) throw error;
      this.#broken(error);
      return;
    }
    switch (line.type) {
      case 'hello':
        // Another epoch: the relay restarted, and its sequence numbers start over.
        if (line.epoch !== this.#epoch) this.#epoch = line.epoch;
        this.#next = line.from;
        return;
      case 'event':
        if (line.seq < this.#next) return;
        this.#next = line.seq + 1;
        this.#deliver(line);
        return;
      case 'ready':
        this.#caughtUp = true;
        this.#lastContactAt ??= this.#context.now();
        if (!this.#isReady) {
          this.#isReady = true;
          this.#logger.info(
            { applied: this.#delivered },
            'revocation relay stream caught up; verifier ready',
          );
          this.#resolveReady();
        }
        return;
      case 'contact':
        // The relay's own contact with Kafka is this verifier's: stale when the relay is.
        if (this.#caughtUp && line.ageMs !== null)
          this.#lastContactAt = this.#context.now() - line.ageMs;
        return;
    }
  }

  #deliver(line: EventLine): void {
    const { value, source, timestamp, signature, traceparent, tracestate } = line;
    const sink = this.#sink;
    if (sink === undefined) return;
    let event;
    try {
      event = decodeEvent(value, {
        now: timestamp,
        clockToleranceMs: this.#context.clockToleranceMs,
      });
    } catch (error) {
      const code = (error instanceof ProtocolError ? error.code : 'EVENT_INVALID') as PoisonCode;
      this.#poison[code] = (this.#poison[code] ?? 0) + 1;
      sink.poison(code);
      return;
    }
    this.#delivered += 1;
    sink.event(event, {
      source,
      signature,
      payload: value,
      timestamp,
      ...(traceparent === undefined ? {} : { trace: { traceparent, tracestate } }),
    });
  }
}
