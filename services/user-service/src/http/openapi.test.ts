import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '../context.js';
import { ERROR_CODES, HTTP_STATUS } from '../errors.js';
import { buildOpenApiDocument } from '@revocation-fabric/service-runtime';
import { openApiOptions } from './app.js';
import type { Route } from './route.js';
import { accountRoutes } from './routes/account-routes.js';
import { adminRoutes } from './routes/admin-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import type { SystemRouteDeps } from './routes/system-routes.js';

// Building the route table reads only the metrics registry; only handlers would read the rest.
const ctx = { metrics: { registry: new Registry() } } as unknown as ServiceContext;
const routes: Route[] = [...accountRoutes(ctx), ...sessionRoutes(ctx), ...adminRoutes(ctx)];
type Operation = {
  parameters: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { required: boolean; content: Record<string, { schema: { required?: string[] } }> };
  responses: Record<string, unknown>;
  security: unknown[];
};
const doc = buildOpenApiDocument(routes, openApiOptions) as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
const errorRef = { $ref: '#/components/schemas/Error' };
interface ErrorComponent {
  properties: {
    error: {
      required: string[];
      properties: { code: { enum: string[] }; fields: { type: string } };
    };
  };
}

describe('buildOpenApiDocument', () => {
  it('documents every route under its OpenAPI path', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method], `${route.method} ${path}`).toBeDefined();
    }
  });

  it('turns params schemas into required path parameters', () => {
    const op = doc.paths['/sessions/{sid}']?.['delete'];
    expect(op?.parameters).toContainEqual(
      expect.objectContaining({ name: 'sid', in: 'path', required: true }),
    );
  });

  it('takes request bodies from the validation schemas', () => {
    const body = doc.paths['/auth/register']?.['post']?.requestBody;
    expect(body?.required).toBe(true);
    expect(body?.content['application/json']?.schema.required).toEqual(['username', 'password']);
    // A body with a default may be omitted.
    expect(doc.paths['/admin/emergency-cutoff']?.['post']?.requestBody?.required).toBe(false);
  });

  it('marks authenticated routes and their 401/403 answers', () => {
    expect(doc.paths['/auth/login']?.['post']?.security).toEqual([]);
    const admin = doc.paths['/admin/keys/rotate']?.['post'];
    expect(admin?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(admin?.responses ?? {})).toEqual(
      expect.arrayContaining(['401', '403', 'default']),
    );
    expect(doc.components.schemas).toHaveProperty('Error');
  });

  it('documents the one error body once, with every code of the status table', () => {
    const component = doc.components.schemas['Error'] as ErrorComponent;
    const error = component.properties.error;
    expect(error.properties.code.enum).toEqual(Object.keys(HTTP_STATUS));
    expect(error.properties.code.enum).toEqual([...ERROR_CODES]);
    for (const code of error.properties.code.enum) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
    expect(error.required.sort()).toEqual(['code', 'message', 'requestId']);
    expect(error.properties.fields.type).toBe('array');
  });

  it('documents SESSION_EXPIRED as a code of the Error component and an answer of /auth/refresh', () => {
    const component = doc.components.schemas['Error'] as ErrorComponent;
    expect(component.properties.error.properties.code.enum).toContain('SESSION_EXPIRED');
    const unauthorized = doc.paths['/auth/refresh']?.['post']?.responses['401'] as {
      description: string;
      content: unknown;
    };
    expect(unauthorized.description).toContain('`SESSION_EXPIRED`');
    expect(unauthorized.content).toEqual({ 'application/json': { schema: errorRef } });
  });

  it('refers every error answer to the Error component instead of inlining a body', () => {
    const deps: SystemRouteDeps = { readiness: () => Promise.reject(new Error('not called')) };
    const system = systemRoutes(ctx, routes, deps);
    const all = buildOpenApiDocument([...routes, ...system], openApiOptions) as typeof doc;
    let errorAnswers = 0;
    for (const [path, operations] of Object.entries(all.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (status !== 'default' && Number(status) < 400) continue;
          // /readyz answers 503 with its health report, not an error body.
          if (path === '/readyz' && status === '503') continue;
          errorAnswers += 1;
          expect(response, `${method} ${path} ${status}`).toEqual(
            expect.objectContaining({ content: { 'application/json': { schema: errorRef } } }),
          );
        }
      }
    }
    expect(errorAnswers).toBeGreaterThan(routes.length);
    expect(JSON.stringify(all.paths)).not.toContain('"requestId"');
  });
});
