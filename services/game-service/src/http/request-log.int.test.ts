/**
 * What the request log says, read from a real instance's pino output: a refusal (a 503 from
 * /readyz, a 4xx) is an info line without a stack; only a real failure is an error line, and it
 * carries the failure's own stack, not a made-up one.
 */
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { rawRequest, startInstance } from '../test-support/instance.js';
import type { LogLine, TestInstance } from '../test-support/instance.js';

const INFO = 30;
const ERROR = 50;

let instance: TestInstance;

beforeAll(async () => {
  instance = await startInstance(inject('kafkaBrokers'), 'request-log');
});

afterAll(async () => {
  await instance?.service.stop();
});

/** The request log's line for the answer with this request id. */
function requestLine(requestId: string): LogLine {
  const lines = instance.logs.filter(
    (line) => (line.req as { id?: unknown } | undefined)?.id === requestId,
  );
  expect(lines, `log lines of request ${requestId}`).toHaveLength(1);
  return lines[0] as LogLine;
}

async function get(path: string, requestId: string): Promise<number> {
  const answer = await rawRequest(instance.url, {
    method: 'GET',
    path,
    headers: { 'x-request-id': requestId },
  });
  return answer.status;
}

describe('game-service request log', () => {
  it('logs a 4xx refusal at info without a stack', async () => {
    expect(await get('/rooms/%ZZ', 'log-400')).toBe(400);
    expect(await get('/no/such/route', 'log-404')).toBe(404);
    for (const id of ['log-400', 'log-404']) {
      const line = requestLine(id);
      expect(line.level).toBe(INFO);
      expect(line).not.toHaveProperty('err');
      expect(JSON.stringify(line)).not.toMatch(/\bat .+\.(ts|js):\d+/);
    }
  });

  it('logs a real failure at error with its own stack, and answers it without internals', async () => {
    const spy = vi
      .spyOn(instance.service.metrics.registry, 'metrics')
      .mockRejectedValueOnce(new Error('registry exploded'));
    const answer = await rawRequest(instance.url, {
      method: 'GET',
      path: '/metrics',
      headers: { 'x-request-id': 'log-500' },
    });
    spy.mockRestore();
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.text)).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'internal error', requestId: 'log-500' },
    });
    const line = requestLine('log-500');
    expect(line.level).toBe(ERROR);
    expect(line.err?.message).toBe('registry exploded');
    expect(line.err?.stack).toMatch(/registry exploded\n\s+at /);
  });

  // Last: closing the verifier takes the instance out of service for good.
  it('logs the 503 of /readyz at info without a stack once the verifier stops serving', async () => {
    // A round trip first: while serving, /readyz answers 200 and is logged at debug.
    expect(await get('/readyz', 'log-ready')).toBe(200);
    expect(requestLine('log-ready').level).toBeLessThan(INFO);
    await instance.service.verifier?.close();
    expect(await get('/readyz', 'log-503')).toBe(503);
    const line = requestLine('log-503');
    expect(line.level).toBe(INFO);
    expect(line.res?.statusCode).toBe(503);
    expect(line).not.toHaveProperty('err');
    expect(JSON.stringify(line)).not.toMatch(/failed with status code|\bat .+\.(ts|js):\d+/);
    expect(instance.logs.filter((l) => l.level >= ERROR && l.req !== undefined)).toHaveLength(1); // log-500
  });
});
