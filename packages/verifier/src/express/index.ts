export { requireAuth } from './require-auth.js';
export type { RequireAuthOptions } from './require-auth.js';
export { requireAllRoles, requireAllScopes, requireAnyRole, requireRecentAuth } from './guards.js';
export type { RecentAuthOptions } from '../auth-age.js';
