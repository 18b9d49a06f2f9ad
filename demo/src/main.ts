#!/usr/bin/env node
/**
 * `pnpm demo` — start what is not running (Kafka, the user-service, two game-services), drive
 * the scripted scenario with socket.io-client, print the report, clean up. Exit code 0 only if
 * every expectation was met.
 *
 * `pnpm demo --short` — the same on fresh ports with a topic of its own, reusing nothing (CI).
 * `pnpm start` (`--keep`) — start the same stack and leave it up for manual use.
 * `pnpm demo --keycloak` — the scenario, then the Keycloak act, on an isolated stack with a real
 * Keycloak (`KEYCLOAK_URL`, else a local one started here and stopped at the end) and the
 * revocation gateway.
 */
import { parseArgs } from 'node:util';
import { runKeycloakAct } from './keycloak-act.js';
import { startKeycloakPeer } from './keycloak-peer.js';
import type { KeycloakPeer } from './keycloak-peer.js';
import { Report } from './report.js';
import { runScenario } from './scenario.js';
import { DEMO_ADMIN, startStack } from './stack.js';
import type { Stack, StackMode } from './stack.js';

const USAGE = `usage: node demo/dist/main.js [--short | --keep] [--keycloak]

  (default)  start what is missing, run the scenario, print the report, stop what was started
  --short    the same, isolated on fresh ports and a topic of its own (CI)
  --keep     start the stack and leave it running until Ctrl-C (pnpm start)
  --keycloak after the scenario, the Keycloak act: a Keycloak user's logout (back-channel
             logout) and password reset (SSF push) cut the sockets through the revocation
             gateway; always isolated. Keycloak: KEYCLOAK_URL + KEYCLOAK_ADMIN_USERNAME/PASSWORD,
             else a local one (downloaded from Maven Central on the first run) started here`;

const progress = (line: string): void => console.error(`demo: ${line}`);
const print = (line: string): void => console.log(line);

function describe(stack: Stack, peer: KeycloakPeer | undefined): void {
  const origin = (startedHere: boolean) => (startedHere ? 'started here' : 'already running');
  print(
    `Kafka          ${stack.kafka.brokers.join(',')} (${stack.kafka.source}), topic ${stack.topic}`,
  );
  print(`user-service   ${stack.userService.url} (${origin(stack.userService.startedHere)})`);
  for (const game of stack.games) {
    print(`${game.name.padEnd(14)} ${game.url} (${origin(game.startedHere)})`);
  }
  if (peer !== undefined) {
    print(`Keycloak       ${peer.version} at ${peer.url} (${peer.source}), realm ${peer.realm}`);
  }
  if (stack.gateway !== undefined) {
    print(`gateway        ${stack.gateway.url} (${origin(stack.gateway.startedHere)})`);
  }
}

/** Resolves on the first SIGINT or SIGTERM. */
function interrupted(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

async function keep(stack: Stack): Promise<void> {
  describe(stack, undefined);
  const user = stack.userService.url;
  const [game1, game2] = stack.games;
  print('');
  print('The stack is up. Try it:');
  print(
    `  curl -s -X POST ${user}/auth/register -H 'content-type: application/json' -d '{"username":"player1","password":"correct-horse-battery"}'`,
  );
  print(
    `  TOKEN=$(curl -s -X POST ${user}/auth/login -H 'content-type: application/json' -d '{"username":"player1","password":"correct-horse-battery"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')`,
  );
  print(`  curl -s ${game1?.url}/me -H "authorization: Bearer $TOKEN"`);
  print(`  curl -s -X POST ${user}/auth/logout -H "authorization: Bearer $TOKEN"`);
  print(`  curl -s ${game2?.url}/me -H "authorization: Bearer $TOKEN"   # 401 TOKEN_REVOKED`);
  print('');
  print(`Admin: ${DEMO_ADMIN.username} / ${DEMO_ADMIN.password}   API docs: ${user}/openapi.json`);
  print(`Metrics: ${game1?.url}/metrics   Logs: ${stack.workDir}`);
  print('Ctrl-C stops what was started here.');
  const signal = await interrupted();
  progress(`${signal}: stopping`);
  await stack.stop();
}

async function demo(stack: Stack, peer: KeycloakPeer | undefined): Promise<number> {
  print('revocation-fabric demo');
  describe(stack, peer);
  const report = new Report(print);
  try {
    await Promise.race([
      (async () => {
        await runScenario(stack, report);
        if (peer !== undefined) await runKeycloakAct(stack, peer, report);
      })(),
      interrupted().then((signal) => {
        throw new Error(`interrupted by ${signal}`);
      }),
    ]);
  } catch (error) {
    report.fail('the scenario stopped', error);
  }
  report.summary();
  const failed = report.failed > 0;
  if (failed) print(`Logs kept in ${stack.workDir}`);
  await stack.stop({ keepFiles: failed });
  await peer?.stop();
  return failed ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        short: { type: 'boolean' },
        keep: { type: 'boolean' },
        keycloak: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    print(USAGE);
    return 0;
  }
  if (values.short === true && values.keep === true) {
    console.error(`--short and --keep do not go together\n${USAGE}`);
    return 2;
  }
  if (values.keycloak === true && values.keep === true) {
    console.error(`--keycloak and --keep do not go together\n${USAGE}`);
    return 2;
  }
  if (values.keycloak === true) {
    // A game-service found running would not trust the realm created now: start everything.
    const started = performance.now();
    const peer = await startKeycloakPeer({ log: progress });
    let stack: Stack;
    try {
      stack = await startStack({ mode: 'short', log: progress, keycloak: peer });
    } catch (error) {
      await peer.stop();
      throw error;
    }
    progress(`stack with Keycloak ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return demo(stack, peer);
  }
  const mode: StackMode = values.keep === true ? 'keep' : values.short === true ? 'short' : 'demo';
  const stack = await startStack({ mode, log: progress });
  if (mode === 'keep') {
    await keep(stack);
    return 0;
  }
  return demo(stack, undefined);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
