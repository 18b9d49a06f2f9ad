/**
 * What every part of the gateway works with, passed explicitly so several instances in one
 * process (tests) never share hidden state.
 */
import type { Logger } from 'pino';
import type { GatewayConfig } from './config/load-config.js';
import type { DataStore } from './db/connect.js';
import type { GatewayMetrics } from './metrics.js';

/** The shared dependencies of one gateway instance. */
export interface GatewayContext {
  readonly config: GatewayConfig;
  readonly store: DataStore;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** ms since the epoch; the one clock (jose's included). */
  readonly now: () => number;
  /** Called after a transaction that wrote outbox rows committed: wakes the relay. */
  readonly outboxCommitted: () => void;
}
