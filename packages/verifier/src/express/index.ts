export { requireAuth } from './require-auth.js';
export type { RequireAuthOptions } from './require-auth.js';
export { requireAllRoles, requireAllScopes, requireAnyRole } from './guards.js';
