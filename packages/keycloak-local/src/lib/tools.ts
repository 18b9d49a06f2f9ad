import { spawn } from 'node:child_process';
import { ToolMissingError } from '../errors.js';

/** The external programs this package runs, and what to install when one is missing. */
const INSTALL_HINT = {
  java: 'a Java 17+ runtime (e.g. `apt-get install openjdk-17-jre-headless`)',
  mvn: 'Apache Maven 3.6+ (e.g. `apt-get install maven`); it fetches the Keycloak distribution once',
  tar: 'GNU tar (it unpacks the Keycloak distribution)',
} as const;

/** A program {@link runTool} may run. */
export type Tool = keyof typeof INSTALL_HINT;

/** Outcome of a finished tool run: exit code and the tail of combined stdout/stderr. */
export interface ToolRun {
  readonly exitCode: number | null;
  readonly output: string;
}

/**
 * Runs a tool to completion. A missing executable becomes {@link ToolMissingError}, so callers
 * print one actionable line instead of `spawn ENOENT`.
 */
export function runTool(tool: Tool, args: readonly string[], cwd?: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    // Keep the tail: when Maven or tar fails, the reason is at the end.
    const append = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-32_000);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new ToolMissingError(tool, INSTALL_HINT[tool]) : error);
    });
    child.once('close', (exitCode) => resolve({ exitCode, output }));
  });
}
