import { spawn } from 'node:child_process';
import { ToolMissingError } from '../errors.js';

/** What each tool is for, phrased as what to install when it is missing. */
const INSTALL_HINT = {
  java: 'a Java 17+ runtime (e.g. `apt-get install openjdk-17-jre-headless`)',
  mvn: 'Apache Maven 3.6+ (e.g. `apt-get install maven`); it fetches the broker jars once',
} as const;

/** Outcome of a finished tool run: exit code and combined stdout/stderr. */
export interface ToolRun {
  readonly exitCode: number | null;
  readonly output: string;
}

/**
 * Runs `java` or `mvn` to completion, capturing output. A missing executable becomes a
 * {@link ToolMissingError} so callers print one actionable line instead of `spawn ENOENT`.
 */
export function runTool(
  tool: 'java' | 'mvn',
  args: readonly string[],
  options: { cwd?: string; maxOutputChars?: number } = {},
): Promise<ToolRun> {
  const maxOutputChars = options.maxOutputChars ?? 64_000;
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // Keep the tail: when Maven or the JVM fails, the reason is at the end.
    const append = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-maxOutputChars);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new ToolMissingError(tool, INSTALL_HINT[tool]) : error);
    });
    child.once('close', (exitCode) => resolve({ exitCode, output }));
  });
}

let javaChecked: Promise<void> | undefined;

/** Fails with {@link ToolMissingError} when `java` cannot be started. Checked once per process. */
export function assertJava(): Promise<void> {
  javaChecked ??= runTool('java', ['-version']).then(
    () => undefined,
    (error: unknown) => {
      javaChecked = undefined;
      throw error;
    },
  );
  return javaChecked;
}
