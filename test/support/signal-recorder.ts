/**
 * A recorder between Keycloak and the gateway: Keycloak's back-channel logout POSTs and SSF
 * pushes go to it, it keeps a copy of each request and passes it on to the gateway unchanged,
 * answering Keycloak with the gateway's answer. Tests then hold *real* logout tokens and SETs,
 * signed by the real provider, to replay, forge or send late. It imitates nothing: every byte it
 * forwards is Keycloak's, every answer the gateway's.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request Keycloak sent, and what the gateway answered. */
export interface RecordedSignal {
  /** The route it came in on (`bcl`, `bcl-other`, `ssf`). */
  readonly route: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The gateway's status, or 0 when held back (see {@link SignalRecorder.hold}). */
  readonly status: number;
  readonly answer: string;
}

/** What {@link startSignalRecorder} returns. */
export interface SignalRecorder {
  /** Base URL: `<url>/<route>` forwards to the route's target. */
  readonly url: string;
  /** Everything recorded so far, in arrival order. */
  readonly signals: readonly RecordedSignal[];
  /** Sets where a route's requests go (a full URL); until then they are answered 503. */
  route(name: string, target: string): void;
  /**
   * Holds back the next `count` requests of a route (`Infinity`: until `hold(name, 0)`):
   * recorded, answered 200, not forwarded — the sender believes them delivered.
   */
  hold(name: string, count: number): void;
  close(): Promise<void>;
}

/** Starts a recorder on a free loopback port. */
export async function startSignalRecorder(): Promise<SignalRecorder> {
  const signals: RecordedSignal[] = [];
  const targets = new Map<string, string>();
  const held = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const route = (req.url ?? '/').slice(1).split('?')[0] ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      const record = (status: number, answer: string) => {
        signals.push({ route, headers: req.headers, body, status, answer });
      };
      const holding = held.get(route) ?? 0;
      if (holding > 0) {
        held.set(route, holding - 1);
        record(0, '');
        res.writeHead(200).end();
        return;
      }
      const target = targets.get(route);
      if (target === undefined) {
        record(503, '');
        res.writeHead(503).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      fetch(target, { method: req.method ?? 'POST', headers, body })
        .then(async (answer) => {
          const text = await answer.text();
          record(answer.status, text);
          res.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'text/plain',
          });
          res.end(text);
        })
        .catch((error: unknown) => {
          record(502, String(error));
          res.writeHead(502).end();
        });
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    signals,
    route: (name, target) => targets.set(name, target),
    hold: (name, count) => held.set(name, count),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
