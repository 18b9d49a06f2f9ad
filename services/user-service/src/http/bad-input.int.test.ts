/**
 * Bad input over HTTP: malformed JSON, wrong types, unknown fields, bad params and headers,
 * oversized bodies, wrong methods and paths. Every answer is a JSON error with a request id
 * and no internals; none is a 500.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, HTTP_STATUS } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import {
  DATABASE_KINDS,
  PASSWORD,
  ROOT_ADMIN_ENVIRONMENT,
  outboxMark,
  uniqueUsername,
  useUserService,
} from '../test-support/harness.js';
import type { Answer, Tokens } from '../test-support/harness.js';

interface ErrorBody {
  error: {
    code: string;
    message: string;
    requestId: string;
    fields?: Array<{ path: string; message: string }>;
  };
}

/** An error answer carries exactly code, message, request id and maybe fields — nothing else. */
function expectCleanError(answer: Answer, status: number): ErrorBody {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  const body = answer.body as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(
    body.error.fields === undefined
      ? ['code', 'message', 'requestId']
      : ['code', 'fields', 'message', 'requestId'],
  );
  expect(body.error.requestId).toBe(answer.headers.get('x-request-id'));
  // One vocabulary: an UPPER_SNAKE_CASE code of the status table, whose status is this one.
  expect(ERROR_CODES).toContain(body.error.code);
  expect(HTTP_STATUS[body.error.code as ErrorCode]).toBe(status);
  expect(JSON.stringify(body)).not.toMatch(
    /\bat .+\.(ts|js):\d+|node_modules|stack|SELECT|sqlite|postgres/i,
  );
  return body;
}

describe.each(DATABASE_KINDS)('bad input on %s', (kind) => {
  let user: Tokens;
  let admin: Tokens;

  const suite = useUserService(kind, `us-input-${kind}`, {
    ...ROOT_ADMIN_ENVIRONMENT,
    BODY_LIMIT_BYTES: '4096',
  });

  beforeAll(async () => {
    const name = uniqueUsername('input');
    await suite.api.register(name, PASSWORD);
    user = await suite.api.login(name, PASSWORD);
    admin = await suite.api.login('root', PASSWORD);
  });

  const target = '00000000-0000-4000-8000-000000000000';
  const bodyRoutes: Array<{ method: string; path: string; as: 'none' | 'user' | 'admin' }> = [
    { method: 'POST', path: '/auth/register', as: 'none' },
    { method: 'POST', path: '/auth/login', as: 'none' },
    { method: 'POST', path: '/auth/refresh', as: 'none' },
    { method: 'POST', path: '/auth/password', as: 'user' },
    { method: 'POST', path: `/admin/users/${target}/suspend`, as: 'admin' },
    { method: 'PUT', path: `/admin/users/${target}/roles`, as: 'admin' },
    { method: 'POST', path: '/admin/tokens/revoke', as: 'admin' },
    { method: 'POST', path: '/admin/emergency-cutoff', as: 'admin' },
  ];
  const tokenFor = (as: 'none' | 'user' | 'admin') =>
    as === 'none' ? undefined : as === 'user' ? user.accessToken : admin.accessToken;

  it('answers malformed JSON with 400 naming the body', async () => {
    for (const route of bodyRoutes) {
      for (const raw of ['{', '{"username": }', '[1,', 'nul', '{"a":1}}', '\u0000']) {
        const answer = await suite.api.request(route.method, route.path, {
          raw,
          token: tokenFor(route.as),
        });
        const body = expectCleanError(answer, 400);
        expect(body.error.fields?.[0]?.path).toBe('body');
      }
    }
  });

  it('answers wrong types, missing and unknown fields with 400 listing the offending fields', async () => {
    const bad: unknown[] = [
      [],
      null,
      'text',
      42,
      true,
      { username: 42, password: ['x'] },
      { refreshToken: { $ne: null } },
      { roles: 'admin' },
      { roles: ['Admin!'] },
      { until: 'tomorrow' },
      { until: -5 },
      { endSessions: 'yes' },
      { jti: 7 },
      { token: 'x', jti: 'y' },
      { currentPassword: PASSWORD, newPassword: 'short' },
      { username: 'x', password: PASSWORD },
      { username: 'a'.repeat(65), password: PASSWORD },
      { username: 'ok-name', password: PASSWORD, extra: true },
      { __proto__: { polluted: true }, username: 'proto', password: PASSWORD, constructor: 1 },
      { deep: JSON.parse('['.repeat(64) + '1' + ']'.repeat(64)) as unknown },
    ];
    const before = await outboxMark(suite.service.store);
    for (const route of bodyRoutes) {
      for (const json of bad) {
        const answer = await suite.api.request(route.method, route.path, {
          json,
          token: tokenFor(route.as),
        });
        const body = expectCleanError(answer, 400);
        expect(
          body.error.fields?.length,
          `${route.method} ${route.path} ${JSON.stringify(json)}`,
        ).toBeGreaterThan(0);
        for (const field of body.error.fields ?? []) expect(field.path).toMatch(/^body/);
      }
    }
    // Rejected input changes nothing: no revocation was committed.
    expect(await outboxMark(suite.service.store)).toBe(before);
  });

  it('names each offending field', async () => {
    const answer = await suite.api.request('POST', '/auth/register', {
      json: { username: 5, password: 'short', role: 'admin' },
    });
    const body = expectCleanError(answer, 400);
    expect(body.error.fields?.map((f) => f.path).sort()).toEqual([
      'body',
      'body.password',
      'body.username',
    ]);
  });

  it('answers bad path parameters with 400 and replaces a malformed request id', async () => {
    const params = [
      ['DELETE', '/sessions/not-a-uuid', user.accessToken, 'params.sid'],
      ['POST', '/admin/users/42/ban', admin.accessToken, 'params.userId'],
      ['POST', `/admin/keys/${'k'.repeat(200)}/revoke`, admin.accessToken, 'params.kid'],
    ] as const;
    for (const [method, path, token, field] of params) {
      const body = expectCleanError(await suite.api.request(method, path, { token }), 400);
      expect(body.error.fields?.[0]?.path).toBe(field);
    }
    const badId = await suite.api.request('GET', '/healthz', {
      headers: { 'x-request-id': 'has spaces and ünïcode' },
    });
    // A request id is a tracing aid, not input: a malformed one is replaced, never echoed.
    expect(badId.status).toBe(200);
    expect(badId.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const goodId = await suite.api.request('GET', '/healthz', {
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(goodId.headers.get('x-request-id')).toBe('trace-123');
    const badEncoding = await suite.api.request('DELETE', '/sessions/%E0%A4%A', {
      token: user.accessToken,
    });
    expect(expectCleanError(badEncoding, 400).error.code).toBe('INVALID_REQUEST');
    const badEscape = await suite.api.request('DELETE', '/sessions/%ZZ', {
      token: user.accessToken,
    });
    expect(expectCleanError(badEscape, 400).error.code).toBe('INVALID_REQUEST');
  });

  it('answers a wrong content type with 415 and an oversized body with 413', async () => {
    const text = await suite.api.request('POST', '/auth/login', {
      raw: 'username=a&password=b',
      contentType: 'application/x-www-form-urlencoded',
    });
    expectCleanError(text, 415);
    const big = await suite.api.request('POST', '/auth/login', {
      json: { username: 'big', password: 'x'.repeat(10_000) },
    });
    expectCleanError(big, 413);
  });

  it('answers unknown paths with a JSON 404 and wrong methods with a JSON 405 and Allow', async () => {
    expectCleanError(await suite.api.request('GET', '/no/such/thing'), 404);
    expectCleanError(await suite.api.request('GET', '/auth'), 404);
    const wrong = await suite.api.request('GET', '/auth/login');
    expectCleanError(wrong, 405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const del = await suite.api.request('DELETE', '/.well-known/jwks.json');
    expectCleanError(del, 405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves health, readiness, metrics and an OpenAPI 3.1 document built from the schemas', async () => {
    expect((await suite.api.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await suite.api.request<Record<string, unknown>>('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      database: 'ok',
      migrations: 'ok',
      kafka: 'ok',
      outbox: { pending: expect.any(Number) },
      relay: { running: true, leader: true },
    });
    const metrics = await suite.api.request<string>('GET', '/metrics');
    expect(metrics.status).toBe(200);
    for (const name of [
      'user_service_outbox_depth',
      'user_service_outbox_oldest_unsent_age_seconds',
      'user_service_outbox_publish_failures_total',
    ]) {
      expect(metrics.body).toContain(`${name} `);
    }
    const doc = await suite.api.request<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }
        >
      >;
    }>('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/auth/login',
        '/sessions/{sid}',
        '/admin/keys/{kid}/revoke',
        '/.well-known/jwks.json',
      ]),
    );
    const login =
      doc.body.paths['/auth/login']?.['post']?.requestBody?.content['application/json']?.schema;
    expect(login?.properties).toHaveProperty('username');
    expect(login?.properties).toHaveProperty('password');
  });
});
