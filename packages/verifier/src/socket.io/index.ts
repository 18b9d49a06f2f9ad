export { socketAuth } from './socket-auth.js';
export { socketToken } from './socket-token.js';
export type { SocketAuth, SocketAuthOptions, SocketAuthStats } from './socket-auth.js';
export type { RecentAuthOptions } from '../auth-age.js';
export { REFRESH_EVENT, REVOKED_EVENT } from './wire-events.js';
export type {
  RefreshAck,
  RefreshRequest,
  RefusedEventAck,
  RevokedPayload,
  SocketAuthErrorCode,
  SocketAuthErrorData,
} from './wire-events.js';
