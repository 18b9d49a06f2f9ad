// What keycloak-local shares with kafka-local: running a local server as a detached process, and
// the command-line shell of `pnpm kafka` / `pnpm keycloak`.
export * from './process.js';
export * from './command-line.js';
