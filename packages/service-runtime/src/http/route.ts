/**
 * A route is data: method, path, schemas, who may call it, documented responses, handler. The
 * shell registers routes from it (validation, 405 with `Allow`) and generates the OpenAPI
 * document from the same data, so what is validated is what is documented.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';

/** Facts about the HTTP request a handler may use. */
export interface RequestFacts {
  /** The client's address as the service's `TRUST_PROXY` defines it. */
  readonly clientAddress: string;
  readonly userAgent: string | undefined;
  readonly requestId: string;
  readonly headers: IncomingHttpHeaders;
}

/** What a handler answers. A string body is sent as is, anything else as JSON. */
export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One documented response. */
export interface ResponseSpec {
  readonly description: string;
  /** The JSON body's schema. An error status without one is documented as the error body. */
  readonly schema?: z.ZodType | undefined;
  /** The OpenAPI `content` as written, for a body zod does not describe. */
  readonly content?: Readonly<Record<string, unknown>> | undefined;
  /** Documented response headers (OpenAPI `headers`). */
  readonly headers?: Readonly<Record<string, unknown>> | undefined;
}

/** The methods routes use. */
export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** What a route's handler receives, its types erased. */
export interface RouteInput<Caller> {
  readonly params: unknown;
  readonly body: unknown;
  readonly caller: Caller | undefined;
  readonly request: RequestFacts;
  /** The express request, for a route that reads a body the shell does not parse (a form, a JWT). */
  readonly req: Request;
}

/**
 * A route with its types erased, as the shell and the OpenAPI generator see it. `auth` is
 * `'none'` or a requirement the service's `authenticate` understands (`'user'`, `'admin'`).
 */
export interface Route<Caller = unknown> {
  readonly method: HttpMethod;
  /** Express-style path, e.g. `/sessions/:sid`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string | undefined;
  readonly tags: readonly string[];
  readonly auth: string;
  /** Path parameters, validated before the handler runs (400 with `fields`). */
  readonly params?: z.ZodType | undefined;
  /** The JSON body, validated before the handler runs (415 if not JSON, 400 with `fields`). */
  readonly body?: z.ZodType | undefined;
  /** Middleware run before validation: a body parser of another media type, a guard. */
  readonly before?: readonly RequestHandler[] | undefined;
  /** OpenAPI `requestBody` as written, for a body `body` does not describe. */
  readonly requestBody?: Readonly<Record<string, unknown>> | undefined;
  /** OpenAPI `parameters` as written, for parameters `params` does not describe. */
  readonly parameters?: readonly Readonly<Record<string, unknown>>[] | undefined;
  /** OpenAPI `security`; default: none for `auth: 'none'`, the shell's scheme otherwise. */
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[] | undefined;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /**
   * Answers, in the route's own protocol, an error thrown by its `before` middleware or its
   * handler (a signal endpoint speaks RFC 8935's error body, not the fabric's). `undefined`
   * leaves the error to the shell.
   */
  readonly answerError?: ((error: unknown, req: Request) => RouteResult | undefined) | undefined;
  /** Runs the handler on validated input. */
  invoke(input: RouteInput<Caller>): Promise<RouteResult>;
}

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A route definition whose handler's input types follow from its schemas and its `auth`. */
export interface RouteDefinition<
  Caller,
  A extends string,
  P extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
> extends Omit<Route<Caller>, 'invoke' | 'auth' | 'params' | 'body'> {
  readonly auth: A;
  readonly params?: P;
  readonly body?: B;
  readonly handle: (input: {
    readonly params: Output<P>;
    readonly body: Output<B>;
    readonly caller: A extends 'none' ? undefined : Caller;
    readonly request: RequestFacts;
    readonly req: Request;
  }) => Promise<RouteResult>;
}

/**
 * Returns `defineRoute` for a service whose authenticated callers are `Caller`s and whose
 * routes require `'none'` or one of `Auth`.
 *
 * @example
 * ```ts
 * export const defineRoute = routeDefiner<Caller, 'user' | 'admin'>();
 * defineRoute({
 *   method: 'delete', path: '/sessions/:sid', auth: 'user', params: sessionParams,
 *   operationId: 'revokeSession', summary: 'Log out one device', tags: ['sessions'],
 *   responses: { 204: { description: 'Revoked' } },
 *   handle: async ({ params, caller }) => ({ status: 204 }),
 * });
 * ```
 */
export function routeDefiner<Caller = never, Auth extends string = never>() {
  return <
    A extends Auth | 'none',
    P extends z.ZodType | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
  >(
    definition: RouteDefinition<Caller, A, P, B>,
  ): Route<Caller> => {
    const { handle, ...spec } = definition;
    return {
      ...spec,
      // The shell validates params and body with the route's own schemas, and authenticates
      // every route whose auth is not 'none', before invoking.
      invoke: (input) => handle(input as Parameters<typeof handle>[0]),
    };
  };
}

/**
 * `defineRoute` of a service without authenticated routes of its own (its routes' `auth` is
 * `'none'`; a guard such as the verifier's `requireAuth` may sit in `before`).
 */
export const definePublicRoute = routeDefiner<never>();
