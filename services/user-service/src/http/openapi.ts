/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas (zod 4's
 * `toJSONSchema`; OpenAPI 3.1 schemas are JSON Schema 2020-12, zod's default target).
 */
import { z } from 'zod';
import type { Route } from './route.js';
import { errorResponse, requestIdHeader } from './schemas.js';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
}

const errorRef = { $ref: '#/components/schemas/Error' };
const errorContent = { 'application/json': { schema: errorRef } };

function pathParameters(route: Route): JsonObject[] {
  if (route.params === undefined) return [];
  const schema = jsonSchema(route.params, 'input');
  const properties = (schema.properties ?? {}) as Record<string, JsonObject>;
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'path',
      required: true,
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

function operation(route: Route): JsonObject {
  const responses: JsonObject = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const isError = Number(status) >= 400;
    // An error answer is the one error body, referenced, never inlined; a route gives its own
    // schema only for a body that is not an error (the 503 of /readyz is a health report).
    const ownSchema = spec.schema !== undefined && spec.schema !== errorResponse;
    responses[status] = {
      description: spec.description,
      ...(ownSchema
        ? { content: { 'application/json': { schema: jsonSchema(spec.schema, 'output') } } }
        : isError || spec.schema === errorResponse
          ? { content: errorContent }
          : {}),
    };
  }
  const standard: Array<[string, string, boolean]> = [
    ['400', 'Invalid parameters, headers or body; `fields` names each offending field.', true],
    ['401', 'Missing, invalid or revoked access token.', route.auth !== 'none'],
    ['403', 'The token lacks the admin role.', route.auth === 'admin'],
    ['413', 'Body larger than the limit.', route.body !== undefined],
    ['415', 'Body is not application/json.', route.body !== undefined],
    ['503', 'Not ready (admin authentication still starting).', route.auth === 'admin'],
  ];
  for (const [status, description, applies] of standard) {
    if (applies && responses[status] === undefined) {
      responses[status] = { description, content: errorContent };
    }
  }
  responses.default = {
    description: 'Unexpected error (no internals are disclosed).',
    content: errorContent,
  };

  const parameters = [
    ...pathParameters(route),
    {
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description: 'Correlates logs; generated when absent and echoed in every answer.',
      schema: jsonSchema(requestIdHeader, 'input'),
    },
  ];
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: route.tags,
    parameters,
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            // A body schema with a default accepts an empty request.
            required: !route.body.safeParse(undefined).success,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }),
    responses,
    security: route.auth === 'none' ? [] : [{ bearerAuth: [] }],
  };
}

/** Facts about the service for the document's `info`. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

/**
 * Builds the OpenAPI 3.1 document of a route table.
 *
 * @example
 * ```ts
 * const doc = buildOpenApiDocument(routes, { title: 'user-service', version: '0.1.0', description: '…' });
 * ```
 */
export function buildOpenApiDocument(routes: readonly Route[], info: OpenApiInfo): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Error: jsonSchema(errorResponse, 'output') },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An access token from /auth/login or /auth/refresh. Admin endpoints need the `admin` role.',
        },
      },
    },
  };
}
