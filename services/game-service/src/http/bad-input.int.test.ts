/**
 * Bad input over HTTP against a real game-service instance: malformed percent-escapes, unknown
 * paths, and random methods, paths, headers and bodies. Every refusal is protocol's one error
 * body with a request id; nothing reaches the 500 path (503 only from /readyz).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ErrorBody } from '@revocation-fabric/protocol';
import { GAME_HTTP_STATUS } from '../game/errors.js';
import type { GameErrorCode } from '../game/errors.js';
import { rawRequest, startInstance } from '../test-support/instance.js';
import type { RawAnswer, TestInstance } from '../test-support/instance.js';

let instance: TestInstance;

beforeAll(async () => {
  instance = await startInstance(inject('kafkaBrokers'), 'bad-input');
});

afterAll(async () => {
  await instance?.service.stop();
});

/** The answer is exactly `{ error: { code, message, requestId } }` and says nothing internal. */
function expectErrorBody(answer: RawAnswer, status: number): ErrorBody<GameErrorCode> {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(answer.text) as ErrorBody<GameErrorCode>;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'requestId']);
  expect(GAME_HTTP_STATUS[body.error.code]).toBe(status);
  expect(body.error.requestId).toBe(answer.headers['x-request-id']);
  expect(answer.text).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules|stack|URIError/i);
  return body;
}

describe('game-service HTTP bad input', () => {
  it('answers a malformed percent-escape in a path parameter with 400 INVALID_REQUEST', async () => {
    for (const path of ['/rooms/%ZZ', '/rooms/%E0%A4%A', '/rooms/%', '/rooms/abc%C0']) {
      const answer = await rawRequest(instance.url, { method: 'GET', path });
      expect(expectErrorBody(answer, 400).error.code, path).toBe('INVALID_REQUEST');
    }
    // The same route still answers a well-formed request (it needs a token: the adapter's 401).
    const wellFormed = await rawRequest(instance.url, { method: 'GET', path: '/rooms/%41bc' });
    expect(wellFormed.status).toBe(401);
  });

  it('answers unknown paths with a JSON 404 NOT_FOUND and echoes a given request id', async () => {
    const answer = await rawRequest(instance.url, {
      method: 'GET',
      path: '/no/such/route',
      headers: { 'x-request-id': 'trace-404' },
    });
    const body = expectErrorBody(answer, 404);
    expect(body.error).toEqual({
      code: 'NOT_FOUND',
      message: 'no such resource',
      requestId: 'trace-404',
    });
  });

  it('never answers random requests with a 5xx, except 503 from /readyz', async () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    });
    const segment = fc.oneof(
      fc.constantFrom('%ZZ', '%', '%0', '%E0%A4%A', '%C0%AF', '%00', '%2F', '..', '.', '', 'a'),
      fc.string({
        unit: fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@%".split('')),
        maxLength: 12,
      }),
    );
    const request = fc.record({
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
      // The routes' own shapes, each slot filled with a random or malformed segment, so a
      // malformed escape reaches a route's parameter often and not only the 404 path.
      path: fc
        .tuple(
          fc.oneof(
            fc.constantFrom('/me', '/leaderboard', '/readyz', '/healthz', '/metrics', '/'),
            segment.map((room) => `/rooms/${room}`),
            fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`),
            fc.array(segment, { maxLength: 3 }).map((s) => `/rooms/${s.join('/')}`),
          ),
          fc.option(fc.constantFrom('?', '?a=%ZZ', '?room=%', '?&&=='), { nil: undefined }),
        )
        .map(([path, query]) => `${path}${query ?? ''}`),
      headers: fc.record(
        {
          authorization: fc.oneof(
            printable,
            printable.map((s) => `Bearer ${s}`),
          ),
          'x-request-id': printable,
          'content-type': fc.constantFrom('application/json', 'text/plain', 'x/y; charset=nope'),
          cookie: printable,
        },
        { requiredKeys: [] },
      ),
      body: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (raw) => {
        const sendsBody = raw.body !== undefined && raw.method !== 'GET' && raw.method !== 'HEAD';
        const answer = await rawRequest(instance.url, {
          ...raw,
          body: sendsBody ? raw.body : undefined,
        });
        const readiness = raw.path.startsWith('/readyz') && answer.status === 503;
        expect(
          answer.status < 500 || readiness,
          `${raw.method} ${raw.path} → ${answer.status}`,
        ).toBe(true);
      }),
      { numRuns: 150 },
    );
    // The instance is still serving after all that.
    const health = await rawRequest(instance.url, { method: 'GET', path: '/healthz' });
    expect(health.status).toBe(200);
  });
});
