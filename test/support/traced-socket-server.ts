/**
 * The verifier side of the tracing test (test/logout-trace.test.ts), forked by WorkerProcess: a
 * socket.io server authenticated by a verifier fed from the run's Kafka, as a game-service runs
 * one — with OpenTelemetry registered in this process when the test asks (`traced`), and the
 * spans it finished sent back on request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { createVerifier } from '@revocation-fabric/verifier';
import type { VerifierLogger } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { socketAuth } from '@revocation-fabric/verifier/socket.io';
import { recordSpans } from './span-recorder.js';
import type { SpanRecord, SpanRecorder } from './span-recorder.js';

/** What the test tells the process to start. */
export interface TracedServerSetup {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly issuer: string;
  readonly audience: string;
  /** The issuer's JWKS, served by the user-service. */
  readonly jwksUrl: string;
  /** Register the SDK (an in-memory exporter) before anything else. */
  readonly traced: boolean;
}

export type TracedServerCommand =
  { readonly type: 'start'; readonly setup: TracedServerSetup } | { readonly type: 'spans' };

export type TracedServerReport =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'spans'; readonly spans: readonly SpanRecord[] };

/** A pino-shaped logger writing JSON lines to stderr, for a failing run's output tail. */
const stderrLogger = Object.fromEntries(
  ['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((level) => [
    level,
    (fields: object, message?: string) =>
      process.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`),
  ]),
) as unknown as VerifierLogger;

let recorder: SpanRecorder | undefined;
let stop: (() => Promise<void>) | undefined;

function report(message: TracedServerReport): void {
  process.send?.(message);
}

async function start(setup: TracedServerSetup): Promise<void> {
  if (setup.traced) recorder = recordSpans('verifier');
  const verifier = createVerifier({
    issuer: setup.issuer,
    audience: setup.audience,
    algorithms: ['ES256'],
    jwks: { url: setup.jwksUrl },
    revocations: kafkaRevocations({
      brokers: [...setup.brokers],
      topic: setup.topic,
      clientId: 'traced-socket-server',
    }),
    // The test reads this process's output when a wait fails.
    ...(process.env['TRACE_TEST_LOG'] === undefined ? {} : { logger: stderrLogger }),
  });
  await verifier.ready();
  const http = createServer();
  const io = new Server(http);
  const auth = socketAuth(verifier);
  io.use(auth);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  stop = async () => {
    auth.close();
    await io.close();
    await verifier.close();
    await recorder?.stop();
  };
  const { port } = http.address() as AddressInfo;
  report({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

async function handle(command: TracedServerCommand): Promise<void> {
  switch (command.type) {
    case 'start':
      return start(command.setup);
    case 'spans':
      return report({ type: 'spans', spans: (await recorder?.spans()) ?? [] });
  }
}

// A command that fails ends the process: the test's wait for its answer fails with the output.
process.on('message', (command: TracedServerCommand) => {
  handle(command).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});

process.once('disconnect', () => {
  (stop ?? (() => Promise.resolve()))().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
