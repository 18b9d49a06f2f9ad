/**
 * The OpenAPI 3.1 document of a route table, generated from the routes and their zod schemas
 * (zod 4's `toJSONSchema`; OpenAPI 3.1 schemas are JSON Schema 2020-12, zod's default target).
 * A route whose inputs zod does not describe (a form, a bare JWT) carries its OpenAPI fragments
 * itself, so every served path is documented beside its code.
 */
import { z } from 'zod';
import type { Route } from './route.js';

type JsonObject = Record<string, unknown>;

/**
 * A zod schema as an OpenAPI 3.1 schema object.
 *
 * @example
 * ```ts
 * const schema = jsonSchema(readinessResponse, 'output');
 * ```
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
}

/**
 * protocol's one error body as the shell sends it: `requestId` always present, `code` one of
 * the service's codes. Documented once, as the `Error` component.
 *
 * @example
 * ```ts
 * errorBodySchema(ERROR_CODES).parse(await answer.json());
 * ```
 */
export function errorBodySchema(codes: readonly [string, ...string[]]) {
  return z.object({
    error: z.object({
      code: z.enum(codes).describe('Stable machine-readable code; switch on it.'),
      message: z.string().describe('For humans; never carries internals.'),
      requestId: z.string().describe('The `X-Request-Id` this answer was logged under.'),
      fields: z
        .array(
          z.object({
            path: z.string().describe('`body.password`, `params.sid`, `headers.authorization`…'),
            message: z.string(),
          }),
        )
        .optional()
        .describe('For 400 answers: every offending field.'),
    }),
  });
}

/** Options of {@link buildOpenApiDocument}. */
export interface OpenApiOptions {
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  /** Every error code the service answers with: the `Error` component's enum. */
  readonly errorCodes: readonly [string, ...string[]];
  /** Security schemes; the first one is what an authenticated route requires by default. */
  readonly securitySchemes?: Readonly<Record<string, JsonObject>> | undefined;
  /** Further schema components (`$ref`-ed by routes' written fragments). */
  readonly schemas?: Readonly<Record<string, JsonObject>> | undefined;
  /** Error answers a route's `auth` brings (401, 403…), added where the route lists none. */
  readonly authResponses?: ((auth: string) => ReadonlyArray<readonly [number, string]>) | undefined;
}

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

function pathParameters(route: Route): JsonObject[] {
  if (route.params === undefined) return [];
  const properties = (jsonSchema(route.params, 'input').properties ?? {}) as Record<
    string,
    JsonObject
  >;
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...schema } = property;
    return {
      name,
      in: 'path',
      required: true,
      ...(description === undefined ? {} : { description }),
      schema,
    };
  });
}

function responsesOf(route: Route, options: OpenApiOptions): JsonObject {
  const responses: JsonObject = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const content =
      spec.content ??
      (spec.schema !== undefined
        ? { 'application/json': { schema: jsonSchema(spec.schema, 'output') } }
        : Number(status) >= 400
          ? errorContent
          : undefined);
    responses[status] = {
      description: spec.description,
      ...(spec.headers === undefined ? {} : { headers: spec.headers }),
      ...(content === undefined ? {} : { content }),
    };
  }
  const validated = route.params !== undefined || route.body !== undefined;
  const standard: Array<readonly [number, string, boolean]> = [
    [400, 'Invalid parameters or body; `fields` names each offending field.', validated],
    [413, 'Body larger than the limit.', route.body !== undefined],
    [415, 'Body is not application/json.', route.body !== undefined],
    ...(route.auth === 'none' ? [] : (options.authResponses?.(route.auth) ?? [])).map(
      ([status, description]) => [status, description, true] as const,
    ),
  ];
  for (const [status, description, applies] of standard) {
    if (applies && responses[status] === undefined)
      responses[status] = { description, content: errorContent };
  }
  responses.default = {
    description: 'Unexpected error (no internals are disclosed).',
    content: errorContent,
  };
  return responses;
}

function operation(route: Route, options: OpenApiOptions): JsonObject {
  const [scheme] = Object.keys(options.securitySchemes ?? {});
  const security =
    route.security ?? (route.auth === 'none' || scheme === undefined ? [] : [{ [scheme]: [] }]);
  const requestBody =
    route.requestBody ??
    (route.body === undefined
      ? undefined
      : {
          // A body schema with a default accepts an empty request.
          required: !route.body.safeParse(undefined).success,
          content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
        });
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: route.tags,
    parameters: [
      ...pathParameters(route),
      ...(route.parameters ?? []),
      {
        name: 'X-Request-Id',
        in: 'header',
        required: false,
        description:
          'Correlates logs; echoed in every answer. A value that is not 1–128 of A-Z a-z 0-9 . _ : - is replaced by a fresh id.',
        schema: { type: 'string' },
      },
    ],
    ...(requestBody === undefined ? {} : { requestBody }),
    responses: responsesOf(route, options),
    security,
  };
}

/**
 * Builds the OpenAPI 3.1 document of a route table.
 *
 * @example
 * ```ts
 * const doc = buildOpenApiDocument(routes, { info: { title: 'gateway', version: '0.1.0', description: '…' }, errorCodes: ERROR_CODES });
 * ```
 */
export function buildOpenApiDocument(
  routes: readonly Route[],
  options: OpenApiOptions,
): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operation(route, options) };
  }
  return {
    openapi: '3.1.0',
    info: options.info,
    paths,
    components: {
      schemas: { ...options.schemas, Error: jsonSchema(errorBodySchema(options.errorCodes)) },
      ...(options.securitySchemes === undefined
        ? {}
        : { securitySchemes: options.securitySchemes }),
    },
  };
}
