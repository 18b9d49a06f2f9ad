// A workspace-private package: its modules re-export whole, but for connect-admin, whose JSON
// reader is the admin modules' own.
export * from './version.js';
export * from './ensure-keycloak.js';
export * from './start-keycloak.js';
export * from './stop-keycloak.js';
export { connectAdmin } from './admin/connect-admin.js';
export type { AdminLogin, KeycloakAdmin } from './admin/connect-admin.js';
export * from './admin/create-realm.js';
export * from './admin/create-client.js';
export * from './admin/create-user.js';
export * from './admin/manage-user.js';
export * from './admin/user-tokens.js';
export * from './admin/configure-ssf-receiver.js';
export * from './admin/emit-ssf-event.js';
export * from './admin/server-version.js';
export * from './errors.js';
