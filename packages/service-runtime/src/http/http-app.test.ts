import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpApp } from './http-app.js';
import { HttpError } from './http-error.js';
import { closeGracefully, listen } from './listen.js';
import { buildOpenApiDocument } from './openapi.js';
import { routeDefiner } from './route.js';
import type { Route } from './route.js';

interface Caller {
  readonly name: string;
}
const defineRoute = routeDefiner<Caller, 'user'>();
const observed: string[] = [];

const routes: Route<Caller>[] = [
  defineRoute({
    method: 'get',
    path: '/items/:id',
    operationId: 'item',
    summary: 'One item',
    tags: ['items'],
    auth: 'none',
    params: z.strictObject({ id: z.string().regex(/^[a-z]+$/) }),
    responses: { 200: { description: 'The item.' } },
    handle: ({ params }) => Promise.resolve({ status: 200, body: { id: params.id } }),
  }),
  defineRoute({
    method: 'post',
    path: '/items',
    operationId: 'addItem',
    summary: 'Add an item',
    tags: ['items'],
    auth: 'user',
    body: z.strictObject({ name: z.string().min(1) }),
    responses: { 201: { description: 'Added.' } },
    handle: ({ body, caller }) => {
      if (body.name === 'boom') throw new Error('secret internal detail');
      if (body.name === 'taken')
        throw new HttpError({
          code: 'CONFLICT',
          status: 409,
          message: 'taken',
          headers: { 'Retry-After': '3' },
        });
      return Promise.resolve({ status: 201, body: { name: body.name, by: caller.name } });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/signals/:kind',
    operationId: 'signal',
    summary: 'A route answering its own errors in its own words',
    tags: ['signals'],
    auth: 'none',
    responses: { 202: { description: 'Accepted.' } },
    answerError: (error) =>
      error instanceof TypeError ? { status: 400, body: { err: 'invalid_request' } } : undefined,
    handle: ({ req }) => {
      if (req.params['kind'] === 'bad') throw new TypeError('bad signal');
      return Promise.resolve({ status: 202 });
    },
  }),
];

let server: Server;
let url: string;

beforeAll(async () => {
  const app = createHttpApp<Caller>({
    logger: pino({ level: 'silent' }),
    httpDuration: {
      observe: (labels) => observed.push(`${labels.method} ${labels.route} ${labels.status}`),
    },
    routes,
    bodyLimitBytes: 64,
    authenticate: (_auth, req) => {
      if (req.headers.authorization !== 'Bearer ok')
        return Promise.reject(
          new HttpError({ code: 'UNAUTHORIZED', status: 401, message: 'who are you' }),
        );
      return Promise.resolve({ name: 'ada' });
    },
  });
  server = createServer(app);
  url = await listen(server, { host: '127.0.0.1', port: 0 });
});
afterAll(() => closeGracefully(server));

interface ErrorAnswer {
  error: { code: string; message: string; requestId: string; fields?: Array<{ path: string }> };
}

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const answer = await fetch(`${url}${path}`, init);
  const text = await answer.text();
  return {
    status: answer.status,
    headers: answer.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

function errorOf(body: unknown): ErrorAnswer['error'] {
  return (body as ErrorAnswer).error;
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer ok', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('the HTTP shell', () => {
  it('answers a malformed percent-escape in a path with 400, never 500', async () => {
    const answer = await call('/items/%ZZ');
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).code).toBe('INVALID_REQUEST');
    expect(errorOf(answer.body).requestId).toBe(answer.headers.get('x-request-id'));
  });

  it('validates params and names the field at fault', async () => {
    const answer = await call('/items/ABC');
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).fields?.[0]?.path).toBe('params.id');
    expect((await call('/items/abc')).body).toEqual({ id: 'abc' });
  });

  it('answers 404 for an unknown path and 405 with Allow for a known one', async () => {
    expect((await call('/nowhere')).status).toBe(404);
    const wrong = await call('/items/abc', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect(errorOf(wrong.body).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('authenticates routes that need it before validating them', async () => {
    const anonymous = await call('/items', {
      ...json({ name: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(anonymous.status).toBe(401);
    expect(errorOf(anonymous.body).code).toBe('UNAUTHORIZED');
    expect((await call('/items', json({ name: 'pen' }))).body).toEqual({ name: 'pen', by: 'ada' });
  });

  it('answers bad bodies as client mistakes: not JSON, too large, wrong type, invalid', async () => {
    const notJson = await call('/items', json('{"name":'));
    expect([notJson.status, errorOf(notJson.body).code]).toEqual([400, 'INVALID_REQUEST']);
    const large = await call('/items', json({ name: 'x'.repeat(100) }));
    expect([large.status, errorOf(large.body).code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const text = await call('/items', {
      ...json('name=x'),
      headers: { 'content-type': 'text/plain', authorization: 'Bearer ok' },
    });
    expect([text.status, errorOf(text.body).code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const invalid = await call('/items', json({ name: '', extra: 1 }));
    expect(invalid.status).toBe(400);
    expect(
      errorOf(invalid.body)
        .fields?.map((f) => f.path)
        .sort(),
    ).toEqual(['body', 'body.name']);
  });

  it('answers an HttpError with its status and headers, anything else with a bare 500', async () => {
    const taken = await call('/items', json({ name: 'taken' }));
    expect([taken.status, taken.headers.get('retry-after'), errorOf(taken.body).code]).toEqual([
      409,
      '3',
      'CONFLICT',
    ]);
    const boom = await call('/items', json({ name: 'boom' }));
    expect(boom.status).toBe(500);
    expect(errorOf(boom.body)).toMatchObject({ code: 'INTERNAL_ERROR', message: 'internal error' });
    expect(JSON.stringify(boom.body)).not.toContain('secret');
  });

  it('lets a route answer its own errors in its own protocol', async () => {
    expect(await call('/signals/bad', { method: 'POST' })).toMatchObject({
      status: 400,
      body: { err: 'invalid_request' },
    });
    expect((await call('/signals/ok', { method: 'POST' })).status).toBe(202);
  });

  it('echoes a well-formed request id and replaces a malformed one', async () => {
    const kept = await call('/items/abc', { headers: { 'x-request-id': 'trace-123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-123');
    const replaced = await call('/items/abc', { headers: { 'x-request-id': 'has spaces' } });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('observes each request under its route template', () => {
    expect(observed).toContain('GET /items/:id 200');
    expect(observed).toContain('GET unmatched 404');
  });
});

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument(routes, {
    info: { title: 't', version: '1', description: 'd' },
    errorCodes: ['INVALID_REQUEST', 'CONFLICT'],
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
    authResponses: () => [[401, 'No valid token.']],
  }) as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters: Array<{ name: string }>;
          responses: Record<string, unknown>;
          security: unknown[];
        }
      >
    >;
  };

  it('documents every route, its path parameters, its validation and auth answers', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['/items', '/items/{id}', '/signals/{kind}']);
    const item = doc.paths['/items/{id}']?.['get'];
    expect(item?.parameters.map((p) => p.name)).toEqual(['id', 'X-Request-Id']);
    expect(Object.keys(item?.responses ?? {})).toEqual(['200', '400', 'default']);
    const add = doc.paths['/items']?.['post'];
    expect(Object.keys(add?.responses ?? {}).sort()).toEqual([
      '201',
      '400',
      '401',
      '413',
      '415',
      'default',
    ]);
    expect(add?.security).toEqual([{ bearerAuth: [] }]);
    expect(item?.security).toEqual([]);
  });
});
