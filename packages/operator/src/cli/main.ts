#!/usr/bin/env node
/**
 * The `revocation-fabric` executable: the process's streams and environment handed to
 * `runCli`, Ctrl-C ending a command that follows the topic, the exit code set.
 */
import { createInterface } from 'node:readline/promises';
import { runCli } from './run-cli.js';

const stop = new AbortController();
process.on('SIGINT', () => {
  // The first Ctrl-C ends `tail` cleanly; a second one does not wait for that.
  if (stop.signal.aborted) process.exit(130);
  stop.abort();
});

const ask = async (question: string): Promise<string> => {
  const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await prompt.question(question, { signal: stop.signal });
  } finally {
    prompt.close();
  }
};

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signal: stop.signal,
  ask,
});
process.exitCode = code;
// Everything of the run is closed; should a socket linger, it must not hold the exit.
setTimeout(() => process.exit(code), 2000).unref();
