/**
 * Prometheus metrics of one instance, on a registry of its own (several instances share a
 * process in tests). The verifier registers its own metrics in the same registry, so one
 * scrape shows both. Socket gauges and counters are read from the adapter at scrape time.
 */
import { Counter, Gauge } from 'prom-client';
import type { Histogram, Registry } from 'prom-client';
import { serviceMetrics } from '@revocation-fabric/service-runtime';
import type { SocketAuthStats } from '@revocation-fabric/verifier/socket.io';

/** The service's metrics. */
export class GameMetrics {
  readonly registry: Registry;
  readonly moves: Counter<'outcome'>;
  readonly rounds: Counter;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  #socketStats: () => SocketAuthStats | undefined = () => undefined;

  constructor(instance: string) {
    const base = serviceMetrics('game_', {
      instance,
    });
    this.registry = base.registry;
    this.httpDuration = base.httpDuration;
    const registers = [this.registry];
    const stats = () => this.#socketStats();
    new Gauge({
      name: 'game_sockets',
      help: 'Authenticated sockets connected to this instance.',
      registers,
      collect() {
        this.set(stats()?.sockets ?? 0);
      },
    });
    // The adapter keeps running totals; these counters mirror them at scrape time.
    new Counter({
      name: 'game_sockets_disconnected_total',
      help: 'Sockets the server disconnected because their token stopped being valid, by code.',
      labelNames: ['code'],
      registers,
      collect() {
        const current = stats();
        this.reset();
        this.inc({ code: 'TOKEN_REVOKED' }, current?.revoked ?? 0);
        this.inc({ code: 'TOKEN_EXPIRED' }, current?.expired ?? 0);
      },
    });
    new Counter({
      name: 'game_socket_handshakes_refused_total',
      help: 'Socket handshakes refused by the verifier, by code.',
      labelNames: ['code'],
      registers,
      collect() {
        this.reset();
        for (const [code, count] of Object.entries(stats()?.refusedByCode ?? {}))
          this.inc({ code }, count);
      },
    });
    new Counter({
      name: 'game_socket_refreshes_total',
      help: 'Access tokens replaced in-band on a live socket.',
      registers,
      collect() {
        this.reset();
        this.inc(stats()?.refreshed ?? 0);
      },
    });
    this.moves = base.counter(
      'game_moves_total',
      'Moves played, by outcome: ok or the refusal code.',
      ['outcome'],
    );
    this.rounds = base.counter('game_rounds_total', 'Rounds played to the end (board full).');
  }

  /** Where the socket gauges read from, once the socket server exists. */
  observeSockets(stats: () => SocketAuthStats): void {
    this.#socketStats = stats;
  }
}
