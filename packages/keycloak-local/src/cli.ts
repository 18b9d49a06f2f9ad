#!/usr/bin/env node
/**
 * `pnpm keycloak <command>`: prepare, start and stop local Keycloak servers (the real
 * distribution, in development mode). Progress goes to stderr; `start` prints the base URL and
 * the bootstrap admin as shell assignments on stdout, so `eval "$(pnpm -s keycloak start)"` works.
 */
import {
  UsageError,
  helpOrUnknown,
  parseCommand,
  portOption,
  runCommandLine,
} from '@revocation-fabric/kafka-local/local-tools';
import { ensureKeycloak } from './ensure-keycloak.js';
import { KeycloakLocalError } from './errors.js';
import { instanceNames } from './lib/instance-files.js';
import { startKeycloak } from './start-keycloak.js';
import { stopAllKeycloaks, stopKeycloak } from './stop-keycloak.js';

const DEFAULT_PORT = 18080;

const USAGE = `usage: pnpm keycloak <command> [options]

commands:
  setup                  resolve the Keycloak distribution with Maven and unpack it (once)
  start [--port N] [--name NAME] [--full-jit]
                         start a local Keycloak (or find it running); prints
                         KEYCLOAK_URL, KEYCLOAK_ADMIN_USERNAME and KEYCLOAK_ADMIN_PASSWORD
  stop [--name NAME | --port N] [--all]
                         stop one instance (SIGTERM, then SIGKILL after 30 s); --all stops every one
  list                   names of the instances under .keycloak/

options:
  --port N      HTTP port (default ${DEFAULT_PORT}); the management (health) port is N+1
  --name NAME   instance name, a directory under .keycloak/ (default local-<port>)
  --full-jit    both JIT compilers (for benchmarks); default: C1 only, a quicker start`;

const log = (message: string): void => console.error(`keycloak-local: ${message}`);

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'setup': {
      parseCommand(rest, {});
      const distribution = await ensureKeycloak({ log });
      log(`Keycloak ${distribution.version} is in ${distribution.home}`);
      return;
    }
    case 'start': {
      const { values } = parseCommand(rest, {
        port: { type: 'string' },
        name: { type: 'string' },
        'full-jit': { type: 'boolean' },
      });
      const started = Date.now();
      const keycloak = await startKeycloak({
        port: portOption(values.port, DEFAULT_PORT),
        ...(values.name === undefined ? {} : { name: values.name }),
        fullJit: values['full-jit'] === true,
        log,
      });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      log(
        keycloak.alreadyRunning
          ? `Keycloak ${keycloak.version} '${keycloak.name}' was already running`
          : `Keycloak ${keycloak.version} '${keycloak.name}' is ready after ${seconds} s (log ${keycloak.logFile})`,
      );
      log(`stop it with: pnpm keycloak stop --name ${keycloak.name}`);
      console.log(`KEYCLOAK_URL=${keycloak.url}`);
      console.log(`KEYCLOAK_ADMIN_USERNAME=${keycloak.adminUsername}`);
      console.log(`KEYCLOAK_ADMIN_PASSWORD=${keycloak.adminPassword}`);
      return;
    }
    case 'stop': {
      const { values } = parseCommand(rest, {
        port: { type: 'string' },
        name: { type: 'string' },
        all: { type: 'boolean' },
      });
      if (values.name !== undefined && values.port !== undefined)
        throw new UsageError('give --name or --port, not both');
      const results =
        values.all === true
          ? await stopAllKeycloaks()
          : [await stopKeycloak(values.name ?? `local-${portOption(values.port, DEFAULT_PORT)}`)];
      for (const result of results) {
        log(
          result.pid === undefined
            ? `'${result.name}' is not running`
            : `stopped '${result.name}' (pid ${result.pid}${result.killed ? ', SIGKILLed' : ''})`,
        );
      }
      return;
    }
    case 'list': {
      parseCommand(rest, {});
      for (const name of await instanceNames()) console.log(name);
      return;
    }
    default:
      helpOrUnknown(command, USAGE);
  }
}

runCommandLine(() => main(process.argv.slice(2)), {
  name: 'keycloak-local',
  help: 'pnpm keycloak help',
  toolErrorExit: (error) => (error instanceof KeycloakLocalError ? 1 : undefined),
});
