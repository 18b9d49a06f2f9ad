export { createRevocationRelay } from './relay-server.js';
export type {
  RelayAddress,
  RelayStats,
  RevocationRelay,
  RevocationRelayOptions,
} from './relay-server.js';
export { relayRevocations } from './relay-feed.js';
export type { RelayRevocationsOptions } from './relay-feed.js';
