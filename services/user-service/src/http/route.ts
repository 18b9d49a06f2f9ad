/**
 * A route is data: method, path, schemas, auth requirement, documented responses, handler.
 * The app registers routes from it and the OpenAPI document is generated from it, so what is
 * validated is what is documented.
 */
import type { z } from 'zod';
import type { AccessTokenClaims } from '../tokens/access-token.js';

/** Who may call a route: anyone, a signed-in user, or an admin. */
export type AuthRequirement = 'none' | 'user' | 'admin';

/** The authenticated caller. */
export interface Caller {
  readonly userId: string;
  readonly sessionId: string;
  readonly roles: readonly string[];
  readonly claims: AccessTokenClaims;
}

/** Facts about the HTTP request a handler may use. */
export interface RequestFacts {
  /** The client's address as `TRUST_PROXY` defines it. */
  readonly clientAddress: string;
  readonly userAgent: string | undefined;
  readonly requestId: string;
}

/** What a handler answers. */
export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A documented response. */
export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
}

type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** A route with its types erased, as the app and the OpenAPI generator see it. */
export interface Route {
  readonly method: HttpMethod;
  /** Express-style path, e.g. `/sessions/:sid`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string | undefined;
  readonly tags: readonly string[];
  readonly auth: AuthRequirement;
  readonly params?: z.ZodType | undefined;
  readonly body?: z.ZodType | undefined;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Runs the handler on already-validated input. */
  invoke(input: {
    readonly params: unknown;
    readonly body: unknown;
    readonly caller: Caller | undefined;
    readonly request: RequestFacts;
  }): Promise<RouteResult>;
}

/** A route definition with typed handler input. */
export interface RouteDefinition<
  A extends AuthRequirement,
  P extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
> extends Omit<Route, 'invoke' | 'auth' | 'params' | 'body'> {
  readonly auth: A;
  readonly params?: P;
  readonly body?: B;
  readonly handle: (input: {
    readonly params: P extends z.ZodType ? z.output<P> : undefined;
    readonly body: B extends z.ZodType ? z.output<B> : undefined;
    readonly caller: A extends 'none' ? undefined : Caller;
    readonly request: RequestFacts;
  }) => Promise<RouteResult>;
}

/**
 * Declares a route; the handler's input types follow from the schemas.
 *
 * @example
 * ```ts
 * defineRoute({
 *   method: 'delete', path: '/sessions/:sid', auth: 'user', params: sessionParams,
 *   operationId: 'revokeSession', summary: 'Log out one device', tags: ['sessions'],
 *   responses: { 204: { description: 'Revoked' } },
 *   handle: async ({ params, caller }) => { … return { status: 204 }; },
 * });
 * ```
 */
export function defineRoute<
  A extends AuthRequirement,
  P extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(definition: RouteDefinition<A, P, B>): Route {
  const { handle, ...spec } = definition;
  return {
    ...spec,
    // The app validates params and body with the route's own schemas before invoking.
    invoke: (input) => handle(input as Parameters<typeof handle>[0]),
  };
}
