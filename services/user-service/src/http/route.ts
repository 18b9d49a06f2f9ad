/**
 * The user-service's routes: the shell's routes as data (`@revocation-fabric/service-runtime`),
 * with this service's caller — a signed-in user or admin, checked against the database.
 */
import { routeDefiner } from '@revocation-fabric/service-runtime';
import type { Route as ShellRoute } from '@revocation-fabric/service-runtime';
import type { AccessTokenClaims } from '../tokens/access-token.js';

export type { RequestFacts, RouteResult } from '@revocation-fabric/service-runtime';

/** Who may call a route beyond anyone (`'none'`): a signed-in user, or an admin. */
export type AuthRequirement = 'user' | 'admin';

/** The authenticated caller. */
export interface Caller {
  readonly userId: string;
  readonly sessionId: string;
  readonly roles: readonly string[];
  readonly claims: AccessTokenClaims;
}

/** A route of this service, its types erased. */
export type Route = ShellRoute<Caller>;

/** Declares a route; the handler's input types follow from its schemas and its `auth`. */
export const defineRoute = routeDefiner<Caller, AuthRequirement>();
