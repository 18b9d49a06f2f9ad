/**
 * The admitted sockets: indexed by the claims revocation rules target, each with a timer at its
 * token's `exp`, and ended — `revoked` first, then the disconnect — in batches when a rule or
 * an expiry cuts them.
 */
import type { RevocationRule, TokenFacts, TraceContextHeaders } from '@revocation-fabric/protocol';
import type { Socket } from 'socket.io';
import { factsOf } from '../claims.js';
import { startCutSpan } from '../tracing.js';
import type { VerifiedToken } from '../claims.js';
import { SocketIndex } from './socket-index.js';
import { holdSocketToken } from './socket-token.js';
import { REVOKED_EVENT } from './wire-events.js';
import type { RevokedPayload } from './wire-events.js';

/** One admitted socket. */
export interface Connection {
  readonly socket: Socket;
  /** The socket's current token; replaced only through {@link LiveConnections.replace}. */
  readonly token: VerifiedToken;
  readonly facts: TokenFacts;
}

interface Entry extends Connection {
  token: VerifiedToken;
  facts: TokenFacts;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly release: () => void;
}

/** Sockets ended per event-loop turn when one rule matches many. */
const CUT_BATCH = 500;

/** setTimeout's longest delay; longer waits are re-armed. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** The sockets one `socketAuth` admitted and still watches. */
export class LiveConnections {
  /** Lifetime counters. */
  readonly counts = { admitted: 0, revoked: 0, expired: 0, refreshed: 0 };
  readonly #index: SocketIndex<Entry>;
  readonly #now: () => number;

  /**
   * @param now - the clock expiry is judged by, ms since the epoch.
   * @param clockToleranceMs - the verifier's tolerance, which bounds what a cutoff rule cuts;
   *   the protocol's default when the verifier does not say.
   */
  constructor(now: () => number, clockToleranceMs?: number) {
    this.#now = now;
    this.#index = new SocketIndex<Entry>(clockToleranceMs);
  }

  /** Sockets currently admitted. */
  get size(): number {
    return this.#index.size;
  }

  /** Whether the connection is still admitted (not cut, not disconnected, not forgotten). */
  has(connection: Connection): boolean {
    return this.#index.has(connection as Entry);
  }

  /** Indexes a socket, arms its expiry and forgets it when it disconnects. */
  admit(socket: Socket, token: VerifiedToken): Connection {
    const onDisconnect = (): void => this.forget(entry);
    const entry: Entry = {
      socket,
      token,
      facts: factsOf(token),
      timer: undefined,
      release: () => {
        socket.off('disconnect', onDisconnect);
        socket.conn.off('close', onDisconnect);
      },
    };
    holdSocketToken(socket, entry);
    this.#index.add(entry);
    this.counts.admitted += 1;
    socket.on('disconnect', onDisconnect);
    // A connection that closes between the middleware and the namespace's connect never emits
    // `disconnect` on the socket; the transport's close still reaches us.
    socket.conn.on('close', onDisconnect);
    this.#arm(entry);
    return entry;
  }

  /** Gives an admitted connection a new token: re-indexed, its expiry re-armed. */
  replace(connection: Connection, token: VerifiedToken): void {
    const entry = connection as Entry;
    if (!this.#index.remove(entry)) return;
    entry.token = token;
    entry.facts = factsOf(token);
    this.#index.add(entry);
    this.counts.refreshed += 1;
    this.#arm(entry);
  }

  /**
   * Cuts every connection whose token the rule rejects; returns how many. `applied`: the trace
   * context of the apply that found the rule, of which the cut is then a `socket.io disconnect`
   * span (with tracing on).
   */
  cutMatching(rule: RevocationRule, applied?: TraceContextHeaders): number {
    const matched = this.#index.matching(rule);
    if (matched.length > 0) {
      this.cut(
        matched,
        { code: 'TOKEN_REVOKED', kind: rule.kind, reason: rule.reason },
        startCutSpan(applied, rule, matched.length),
      );
    }
    return matched.length;
  }

  /**
   * Ends connections. They leave the index at once, so from here on their events are dropped;
   * the sockets themselves are ended in batches of {@link CUT_BATCH} per event-loop turn, so a
   * global rule matching every socket does not stall the loop (and the consumer that delivered
   * the rule) while thousands of connections close. `done` runs once the last is ended.
   */
  cut(targets: readonly Connection[], payload: RevokedPayload, done?: () => void): void {
    for (const connection of targets) this.forget(connection);
    if (payload.code === 'TOKEN_REVOKED') this.counts.revoked += targets.length;
    else this.counts.expired += targets.length;
    let offset = 0;
    const step = (): void => {
      end(targets.slice(offset, offset + CUT_BATCH), payload);
      offset += CUT_BATCH;
      if (offset < targets.length) setImmediate(step);
      else done?.();
    };
    step();
  }

  /** Stops watching a connection: out of the index, timer cleared, listeners removed. */
  forget(connection: Connection): void {
    const entry = connection as Entry;
    if (!this.#index.remove(entry)) return;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.release();
  }

  /** Forgets every connection, for shutdown; the sockets stay connected. */
  forgetAll(): void {
    for (const entry of this.#index.entries()) this.forget(entry);
  }

  /**
   * One timer per socket, at its token's `exp`. Node keeps timers in per-duration lists under a
   * binary heap, so tens of thousands of them cost O(log n) to arm and nothing while they
   * wait; a shared timing wheel would save memory only at far larger counts. Timers are
   * unref'd: a pending expiry never keeps a process alive.
   */
  #arm(entry: Entry): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    const delay = entry.token.claims.exp * 1000 - this.#now();
    if (delay <= 0) {
      this.cut([entry], { code: 'TOKEN_EXPIRED' });
      return;
    }
    entry.timer = setTimeout(
      () => {
        entry.timer = undefined;
        // The clock may disagree with the timer (a long delay re-armed, a clock that moved).
        if (entry.token.claims.exp * 1000 > this.#now()) this.#arm(entry);
        else if (this.#index.has(entry)) this.cut([entry], { code: 'TOKEN_EXPIRED' });
      },
      Math.min(delay, MAX_TIMER_DELAY_MS),
    );
    entry.timer.unref();
  }
}

/** Emits `revoked` to every socket of a batch, then disconnects them. */
function end(batch: readonly Connection[], payload: RevokedPayload): void {
  // Every event before the first disconnect, so a client with several namespaces on one
  // connection gets the event on each before the connection closes.
  for (const connection of batch) connection.socket.emit(REVOKED_EVENT, payload);
  // disconnect(true) closes the engine.io connection after its buffer drains, so the
  // `revoked` packet is delivered before the close.
  for (const connection of batch) connection.socket.disconnect(true);
}
