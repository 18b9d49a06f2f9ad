export { KEYCLOAK_VERSION } from './version.js';
export { ensureKeycloak } from './ensure-keycloak.js';
export type { EnsureKeycloakOptions, KeycloakDistribution } from './ensure-keycloak.js';
export { startKeycloak } from './start-keycloak.js';
export type { KeycloakHandle, StartKeycloakOptions } from './start-keycloak.js';
export { stopAllKeycloaks, stopKeycloak } from './stop-keycloak.js';
export type { StopKeycloakOptions, StoppedKeycloak } from './stop-keycloak.js';
export { connectAdmin } from './admin/connect-admin.js';
export type { AdminLogin, KeycloakAdmin } from './admin/connect-admin.js';
export { createRealm, deleteRealm } from './admin/create-realm.js';
export type { RealmSpec } from './admin/create-realm.js';
export { createClient } from './admin/create-client.js';
export type { ClientSpec, RealmClient } from './admin/create-client.js';
export { createUser } from './admin/create-user.js';
export type { RealmUser, UserSpec } from './admin/create-user.js';
export {
  deleteSession,
  deleteUser,
  logoutUser,
  resetPassword,
  setUserEnabled,
  userSessions,
} from './admin/manage-user.js';
export { clientCredentialsToken, logoutSession, passwordLogin } from './admin/user-tokens.js';
export type { ClientCredentials, UserTokens } from './admin/user-tokens.js';
export { configureSsfReceiver } from './admin/configure-ssf-receiver.js';
export type { SsfDelivery, SsfReceiverSpec } from './admin/configure-ssf-receiver.js';
export { emitSsfEvent } from './admin/emit-ssf-event.js';
export type { SsfEmission } from './admin/emit-ssf-event.js';
export { serverVersion } from './admin/server-version.js';
export {
  AdminRequestError,
  DistributionError,
  InstanceMismatchError,
  KeycloakExitedError,
  KeycloakLocalError,
  PortInUseError,
  StartTimeoutError,
  ToolMissingError,
  UnexpectedResponseError,
} from './errors.js';
export type { KeycloakLocalErrorCode } from './errors.js';
