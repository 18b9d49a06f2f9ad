/**
 * One real game-service instance for HTTP tests: its own verifier consuming a fresh revocation
 * topic on the run's real Kafka, listening on 127.0.0.1 port 0, logging as JSON lines into
 * `logs` so a test can read what an operator would see.
 */
import { request } from 'node:http';
import { pino } from 'pino';
import { createRevocationTopic, uniqueTopic } from '@revocation-fabric/testkit';
import { loadConfig } from '../config.js';
import { createGameService } from '../service.js';
import type { GameService } from '../service.js';

/** One parsed pino line. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly req?: { readonly url?: string; readonly method?: string };
  readonly res?: { readonly statusCode?: number };
  readonly err?: { readonly message?: string; readonly stack?: string };
  readonly [key: string]: unknown;
}

/** A started instance and the log lines it wrote. */
export interface TestInstance {
  readonly service: GameService;
  readonly url: string;
  readonly logs: LogLine[];
}

/**
 * Starts an instance on `brokers` and waits until its verifier has replayed the topic.
 *
 * @example
 * ```ts
 * const { service, url, logs } = await startInstance(inject('kafkaBrokers'), 'bad-input');
 * ```
 */
export async function startInstance(brokers: string[], name: string): Promise<TestInstance> {
  const topic = uniqueTopic(`game-${name}`);
  await createRevocationTopic(brokers, topic);
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  );
  const service = createGameService(
    loadConfig({
      INSTANCE_ID: `game-${name}`,
      HOST: '127.0.0.1',
      PORT: '0',
      // Nothing listens there: no test here presents a token that would need the keys.
      ISSUER: 'http://127.0.0.1:9',
      KAFKA_BROKERS: brokers.join(','),
      REVOCATION_TOPIC: topic,
    }),
    { logger },
  );
  const url = await service.start();
  await service.ready();
  return { service, url, logs };
}

/** What {@link rawRequest} sends. */
export interface RawRequest {
  readonly method: string;
  /** Sent byte for byte: not normalised or re-encoded the way `fetch` would. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | undefined;
}

/** What came back. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/**
 * One HTTP request over a fresh connection, with the path exactly as given.
 *
 * @example
 * ```ts
 * const answer = await rawRequest(url, { method: 'GET', path: '/rooms/%ZZ' });
 * ```
 */
export function rawRequest(baseUrl: string, raw: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: raw.method,
        path: raw.path,
        headers: raw.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`${raw.method} ${raw.path}: no answer`)));
    req.on('error', reject);
    req.end(raw.body);
  });
}
