import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '../context.js';
import { buildOpenApiDocument } from './openapi.js';
import type { Route } from './route.js';
import { accountRoutes } from './routes/account-routes.js';
import { adminRoutes } from './routes/admin-routes.js';
import { sessionRoutes } from './routes/session-routes.js';

// Building the route table does not touch the context; only handlers would.
const ctx = {} as ServiceContext;
const routes: Route[] = [...accountRoutes(ctx), ...sessionRoutes(ctx), ...adminRoutes(ctx)];
type Operation = {
  parameters: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { required: boolean; content: Record<string, { schema: { required?: string[] } }> };
  responses: Record<string, unknown>;
  security: unknown[];
};
const doc = buildOpenApiDocument(routes, { title: 't', version: '1', description: 'd' }) as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

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
});
