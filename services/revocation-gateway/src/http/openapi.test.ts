import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../errors.js';
import { SET_ERROR_CODES } from '../signals/refusal.js';
import { SERVED_PATHS } from './app.js';
import { buildOpenApiDocument, logoutErrorBody, pushErrorBody } from './openapi.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
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
const doc = buildOpenApiDocument() as Doc;

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and documents every path the app serves, with its method', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, method] of SERVED_PATHS) {
      const documented = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(doc.paths[documented]?.[method], `${method} ${documented}`).toBeDefined();
    }
    expect(Object.keys(doc.paths)).toHaveLength(SERVED_PATHS.length);
  });

  it('documents the push error codes of RFC 8935 and the fabric’s error codes', () => {
    expect(doc.components.schemas['PushError']?.properties['err']?.enum).toEqual([
      ...SET_ERROR_CODES,
    ]);
    expect(
      doc.components.schemas['Error']?.properties['error']?.properties?.['code']?.enum,
    ).toEqual([...ERROR_CODES]);
  });

  it('describes the bodies the endpoints answer with', () => {
    expect(
      logoutErrorBody.safeParse({ error: 'invalid_request', error_description: 'x' }).success,
    ).toBe(true);
    expect(pushErrorBody.safeParse({ err: 'invalid_audience', description: 'x' }).success).toBe(
      true,
    );
    expect(Object.keys(doc.paths['/ssf/{provider}/events']?.['post']?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '401', '404', '413', '503']),
    );
  });
});
