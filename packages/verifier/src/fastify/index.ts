export { verifierAuth } from './verifier-auth.js';
export type { VerifierAuthOptions } from './verifier-auth.js';
export { requireAllRoles, requireAllScopes, requireAnyRole, requireRecentAuth } from './guards.js';
export type { RecentAuthOptions } from '../auth-age.js';
