import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from './config-error.js';
import { EXIT_CONFIG_ERROR, runService } from './run-service.js';
import type { RunnableService, ServiceLogger, ServiceProcess } from './run-service.js';

class FakeProcess extends EventEmitter implements ServiceProcess {
  exitCode: number | undefined;
  /** Every code exit() was called with. */
  readonly exits: number[] = [];
  #resolveExited: (code: number) => void = () => {};
  /** The first exit() call's code. */
  readonly exited = new Promise<number>((resolve) => {
    this.#resolveExited = resolve;
  });

  exit(code: number): void {
    this.exits.push(code);
    this.#resolveExited(code);
  }
}

function recordingLogger(): ServiceLogger & { lines: Array<[string, string]> } {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    info: (_obj, msg) => lines.push(['info', msg]),
    error: (_obj, msg) => lines.push(['error', msg]),
    fatal: (_obj, msg) => lines.push(['fatal', msg]),
  };
}

function fakeService(overrides: Partial<RunnableService> = {}) {
  return {
    start: vi.fn(overrides.start ?? (() => Promise.resolve('http://127.0.0.1:1'))),
    stop: vi.fn(overrides.stop ?? (() => Promise.resolve())),
  };
}

describe('runService', () => {
  it('reports a bad configuration with the boot logger and exits with 78, starting nothing', async () => {
    const proc = new FakeProcess();
    const bootLogger = recordingLogger();
    const problem = { variable: 'PORT', message: 'must be an integer' };
    await runService({
      name: 'svc',
      process: proc,
      bootLogger: () => bootLogger,
      create: () => {
        throw new ConfigError({ problems: [problem] });
      },
    });
    expect(proc.exitCode).toBe(EXIT_CONFIG_ERROR);
    expect(bootLogger.lines).toEqual([
      ['fatal', 'invalid configuration: PORT: must be an integer'],
    ]);
    expect(proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('lets any other error from create propagate', async () => {
    const failure = new Error('disk full');
    const run = runService({
      name: 'svc',
      process: new FakeProcess(),
      bootLogger: recordingLogger,
      create: () => {
        throw failure;
      },
    });
    await expect(run).rejects.toBe(failure);
  });

  it('stops gracefully on the first signal, exits with 0 and ignores the next one', async () => {
    const proc = new FakeProcess();
    const logger = recordingLogger();
    const service = fakeService();
    await runService({
      name: 'svc',
      process: proc,
      bootLogger: recordingLogger,
      create: () => ({ service, logger }),
    });
    expect(service.start).toHaveBeenCalledTimes(1);
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    expect(await proc.exited).toBe(0);
    expect(service.stop).toHaveBeenCalledTimes(1);
    expect(proc.exits).toEqual([0]);
    expect(logger.lines).toEqual([['info', 'shutting down']]);
  });

  it('exits with 1 and says why when the graceful stop fails', async () => {
    const proc = new FakeProcess();
    const logger = recordingLogger();
    const service = fakeService({ stop: () => Promise.reject(new Error('stuck')) });
    await runService({
      name: 'svc',
      process: proc,
      bootLogger: recordingLogger,
      create: () => ({ service, logger }),
    });
    proc.emit('SIGINT');
    expect(await proc.exited).toBe(1);
    expect(logger.lines).toEqual([
      ['info', 'shutting down'],
      ['error', 'shutdown failed'],
    ]);
  });

  it('logs a failed start under the service name, stops what started and sets exit code 1', async () => {
    const proc = new FakeProcess();
    const logger = recordingLogger();
    const service = fakeService({
      start: () => Promise.reject(new Error('EADDRINUSE')),
      stop: () => Promise.reject(new Error('not started')),
    });
    await runService({
      name: 'user-service',
      process: proc,
      bootLogger: recordingLogger,
      create: () => ({ service, logger }),
    });
    // Let anything the failed start left in flight (a stop's then, an exit) run first, so the
    // "never called exit()" check below is not made before a late exit() could come.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(proc.exitCode).toBe(1);
    expect(service.stop).toHaveBeenCalledTimes(1);
    expect(logger.lines).toEqual([['fatal', 'user-service failed to start: EADDRINUSE']]);
    expect(proc.exits).toEqual([]);
  });

  it('puts a coded start failure’s code beside its message', async () => {
    const fields: object[] = [];
    const logger = { ...recordingLogger(), fatal: (obj: object) => fields.push(obj) };
    const refusal = Object.assign(new Error('revocation topic t has retention.ms=60000 …'), {
      code: 'TOPIC_RETENTION_TOO_SHORT',
    });
    await runService({
      name: 'user-service',
      process: new FakeProcess(),
      bootLogger: recordingLogger,
      create: () => ({ service: fakeService({ start: () => Promise.reject(refusal) }), logger }),
    });
    expect(fields).toEqual([{ err: refusal, code: 'TOPIC_RETENTION_TOO_SHORT' }]);
  });
});
