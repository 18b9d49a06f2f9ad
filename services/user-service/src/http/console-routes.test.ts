import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@revocation-fabric/service-runtime';
import type { ServiceContext } from '../context.js';
import { openApiOptions } from './app.js';
import { consoleRoutes } from './routes/console-routes.js';

// Building the route table reads the console's files; only handlers would read the context.
const ctx = { metrics: { registry: new Registry() } } as unknown as ServiceContext;
const doc = buildOpenApiDocument(consoleRoutes(ctx), openApiOptions) as {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters: Array<{ name: string; in: string; required?: boolean }>;
        responses: Record<string, { content?: Record<string, unknown> }>;
        security: unknown[];
      }
    >
  >;
};

describe('the console routes in the OpenAPI document', () => {
  it('documents the user search’s query parameters and its refusals', () => {
    const search = doc.paths['/admin/users']?.['get'];
    expect(search?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'query', in: 'query', required: true }),
        expect.objectContaining({ name: 'limit', in: 'query', required: false }),
        expect.objectContaining({ name: 'after', in: 'query', required: false }),
      ]),
    );
    expect(Object.keys(search?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403']),
    );
  });

  it('documents the page as public HTML and the sessions read as admin-only', () => {
    const page = doc.paths['/admin/console']?.['get'];
    expect(page?.security).toEqual([]);
    expect(Object.keys(page?.responses['200']?.content ?? {})).toEqual(['text/html']);
    const sessions = doc.paths['/admin/users/{userId}/sessions']?.['get'];
    expect(sessions?.security).toEqual([{ bearerAuth: [] }]);
    expect(sessions?.parameters).toContainEqual(
      expect.objectContaining({ name: 'userId', in: 'path', required: true }),
    );
  });
});
