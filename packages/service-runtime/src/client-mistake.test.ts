import express from 'express';
import { describe, expect, it } from 'vitest';
import { clientMistakeOf } from './client-mistake.js';

/** The error express hands the error handler for `path`, through a real router. */
async function routerError(path: string): Promise<unknown> {
  const app = express();
  app.get('/rooms/:id', (_req, res) => res.end());
  return new Promise((resolve) => {
    app.use((err: unknown, _req: express.Request, res: express.Response, _next: unknown) => {
      resolve(err);
      res.end();
    });
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      void fetch(`http://127.0.0.1:${port}${path}`).finally(() => server.close());
    });
  });
}

describe('clientMistakeOf', () => {
  it('names a malformed percent-escape in a path parameter a malformed request', async () => {
    const error = await routerError('/rooms/%ZZ');
    expect(clientMistakeOf(error)).toBe('malformed-request');
  });

  it('names body-parser’s refusals by their type', () => {
    expect(clientMistakeOf({ type: 'entity.too.large', status: 413 })).toBe('payload-too-large');
    expect(clientMistakeOf({ type: 'entity.parse.failed', status: 400 })).toBe('body-not-json');
    expect(clientMistakeOf({ type: 'charset.unsupported', status: 415 })).toBe(
      'unsupported-media-type',
    );
    expect(clientMistakeOf({ statusCode: 404 })).toBe('not-found');
  });

  it('leaves real failures to the 500 path', () => {
    expect(clientMistakeOf(new Error('boom'))).toBeUndefined();
    expect(clientMistakeOf({ status: 503 })).toBeUndefined();
    expect(clientMistakeOf('a string')).toBeUndefined();
    expect(clientMistakeOf(null)).toBeUndefined();
  });
});
