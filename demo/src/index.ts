export { startStack, DEMO_ADMIN } from './stack.js';
export type { Stack, StackMode, StackOptions, StackService } from './stack.js';
export { GAME_CLIENT_ID, PROVIDER_NAME, startKeycloakPeer } from './keycloak-peer.js';
export type { KeycloakPeer, KeycloakPeerOptions, PeerUser } from './keycloak-peer.js';
export { GameConnection } from './game-client.js';
export type { SocketEnd } from './game-client.js';
export { UserApi, ApiError } from './user-api.js';
export type { TokenPair } from './user-api.js';
