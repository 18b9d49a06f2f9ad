import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/harness.js';
import { logoutProvider } from '../test-support/signals.js';
import { readinessResponse } from './readiness.js';

const suite = useTestGateway(() => [
  // Nothing answers at 127.0.0.1:1: the stream set-up fails and readiness must say so.
  logoutProvider('kc', 'https://idp.test/realms/r', 'http://127.0.0.1:1/jwks', {
    ssf: {
      configurationUrl: 'http://127.0.0.1:1/ssf-configuration',
      delivery: 'poll',
      tokenUrl: 'http://127.0.0.1:1/token',
      clientId: 'gateway',
      clientSecret: 'secret',
    },
  }),
]);

describe('the system routes', () => {
  it('serves the OpenAPI 3.1 document', async () => {
    const answer = await fetch(`${suite.url}/openapi.json`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      openapi: '3.1.0',
      paths: { '/backchannel-logout/{provider}': {} },
    });
  });

  it('is alive and ready with Kafka and the transmitter away, and says so', async () => {
    expect(await (await fetch(`${suite.url}/healthz`)).json()).toEqual({ status: 'ok' });
    let body: unknown;
    let text = '';
    await expect
      .poll(
        async () => {
          const answer = await fetch(`${suite.url}/readyz`);
          expect(answer.status).toBe(200);
          text = await answer.text();
          body = readinessResponse.parse(JSON.parse(text));
          return body;
        },
        { timeout: 10_000 },
      )
      .toMatchObject({
        ssf: { kc: { state: 'failed', lastError: { step: 'ssf-discovery', status: null } } },
      });
    // The step and status only: the transmitter's URLs and answers stay in the logs.
    expect(text).not.toContain('127.0.0.1:1');
    expect(body).toMatchObject({
      status: 'ready',
      database: 'ok',
      kafka: 'unreachable',
      outbox: { pending: 0 },
    });
  });

  it('exposes the signal counter, the backlog and the stream gauges in /metrics', async () => {
    const scrape = async () => (await fetch(`${suite.url}/metrics`)).text();
    await expect
      .poll(scrape, { timeout: 10_000 })
      .toMatch(
        /^revocation_gateway_transmitter_errors_total\{provider="kc",step="ssf-discovery"\} [1-9]/m,
      );
    const text = await scrape();
    expect(text).toMatch(/^revocation_gateway_outbox_depth 0$/m);
    expect(text).toMatch(/^revocation_gateway_kafka_up 0$/m);
    expect(text).toMatch(/^revocation_gateway_ssf_stream_up\{provider="kc"\} 0$/m);
  });

  it('answers a malformed percent-escape in a path with 400, never 500, and stays up', async () => {
    for (const path of [
      '/backchannel-logout/%ZZ',
      '/backchannel-logout/%E0%A4%A',
      '/ssf/%ZZ/events',
    ]) {
      const answer = await fetch(`${suite.url}${path}`, { method: 'POST', body: 'logout_token=x' });
      expect(answer.status, path).toBe(400);
      expect(await answer.json()).toMatchObject({
        error: { code: 'INVALID_REQUEST', message: 'malformed request' },
      });
    }
    // Still serving: the refusals were answers, not failures.
    expect((await fetch(`${suite.url}/healthz`)).status).toBe(200);
  });
});
