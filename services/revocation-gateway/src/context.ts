/**
 * What every part of the gateway works with, passed explicitly so several instances in one
 * process (tests) never share hidden state.
 */
import type { Issuer } from '@revocation-fabric/issuer-kit';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config/load-config.js';
import type { DataStore, GatewayDatabase } from './db/schema.js';
import type { GatewayMetrics } from './metrics.js';

/** The shared dependencies of one gateway instance. */
export interface GatewayContext {
  readonly config: GatewayConfig;
  /** The write path: store, relay, revocation transactions (the issuer kit's). */
  readonly issuer: Issuer<GatewayDatabase>;
  /** The data store (`issuer.store`). */
  readonly store: DataStore;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** ms since the epoch; the one clock (jose's included). */
  readonly now: () => number;
}
