export { requireAuth } from './require-auth.js';
export type { RequireAuthOptions } from './require-auth.js';
export { requireRoles, requireScope } from './guards.js';
