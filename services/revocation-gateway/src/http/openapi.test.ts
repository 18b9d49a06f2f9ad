import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@revocation-fabric/service-runtime';
import type { GatewayContext } from '../context.js';
import { ERROR_CODES } from '../errors.js';
import { SET_ERROR_CODES } from '../signals/refusal.js';
import { gatewayRoutes, openApiOptions } from './app.js';
import { logoutErrorBody, pushErrorBody } from './protocol-answers.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security: unknown }>>;
  components: {
    schemas: Record<
      string,
      {
        properties: Record<
          string,
          { enum?: string[]; properties?: Record<string, { enum?: string[] }> }
        >;
      }
    >;
  };
};
// Building the route table reads only the body limit and the registry; handlers read the rest.
const ctx = {
  config: { http: { bodyLimitBytes: 65_536 } },
  metrics: { registry: new Registry() },
} as unknown as GatewayContext;
const routes = gatewayRoutes(ctx, new Map(), {
  readiness: () => Promise.reject(new Error('unused')),
});
const doc = buildOpenApiDocument(routes, openApiOptions) as Doc;

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and documents every route the app serves, with its method', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const route of routes) {
      const documented = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(doc.paths[documented]?.[route.method], `${route.method} ${documented}`).toBeDefined();
    }
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/backchannel-logout/{provider}',
      '/healthz',
      '/metrics',
      '/openapi.json',
      '/readyz',
      '/ssf/{provider}/events',
    ]);
  });

  it('documents the push error codes of RFC 8935 and the fabric’s error codes', () => {
    expect(doc.components.schemas['PushError']?.properties['err']?.enum).toEqual([
      ...SET_ERROR_CODES,
    ]);
    expect(
      doc.components.schemas['Error']?.properties['error']?.properties?.['code']?.enum,
    ).toEqual([...ERROR_CODES]);
  });

  it('describes the bodies the endpoints answer with, and the push route’s credential', () => {
    expect(
      logoutErrorBody.safeParse({ error: 'invalid_request', error_description: 'x' }).success,
    ).toBe(true);
    expect(pushErrorBody.safeParse({ err: 'invalid_audience', description: 'x' }).success).toBe(
      true,
    );
    const push = doc.paths['/ssf/{provider}/events']?.['post'];
    expect(Object.keys(push?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '401', '404', '413', '503']),
    );
    expect(push?.security).toEqual([{ pushAuthorization: [] }]);
  });
});
