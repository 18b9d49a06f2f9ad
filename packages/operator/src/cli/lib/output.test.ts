import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.js';
import { createOutput, createProgress } from './output.js';

function io(options: { tty: boolean; clock?: { now: number } }): {
  io: CliIo;
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text), isTTY: options.tty },
      stdin: Readable.from([]),
      env: {},
      now: () => options.clock?.now ?? 0,
    },
    out: () => out,
    err: () => err,
  };
}

describe('output', () => {
  it('writes the human answer or one JSON document, notes always on stderr', () => {
    const human = io({ tty: false });
    const text = createOutput(human.io, false);
    text.line('applied by 2 of 2 verifiers');
    text.document({ ignored: true });
    text.note('warning: x');
    expect(human.out()).toBe('applied by 2 of 2 verifiers\n');
    expect(human.err()).toBe('warning: x\n');
    const machine = io({ tty: false });
    const json = createOutput(machine.io, true);
    json.line('ignored');
    json.document({ a: 1 });
    json.record({ b: 2 });
    expect(machine.out()).toBe('{\n  "a": 1\n}\n{"b":2}\n');
  });
});

describe('progress', () => {
  it('is silent when stderr is no terminal and --progress was not given', () => {
    const run = io({ tty: false });
    const progress = createProgress(run.io, { total: 40_000, force: false });
    progress.tick();
    progress.done();
    expect(run.err()).toBe('');
  });

  it('prints a line at most once a second with --progress, and the count at the end', () => {
    const clock = { now: 0 };
    const run = io({ tty: false, clock });
    const progress = createProgress(run.io, { total: 40_000, force: true });
    for (let i = 0; i < 12_345; i += 1) progress.tick();
    clock.now = 1000;
    progress.tick();
    progress.done();
    expect(run.err().split('\n').filter(Boolean)).toEqual([
      'read 0 of 40,000 records…',
      'read 12,346 of 40,000 records…',
      'read 12,346 of 40,000 records…',
    ]);
  });

  it('redraws in place on a terminal', () => {
    const run = io({ tty: true });
    const progress = createProgress(run.io, { total: 2, force: false });
    progress.tick();
    progress.tick();
    progress.done();
    expect(run.err()).toBe('\r\x1b[Kread 0 of 2 records…\r\x1b[Kread 2 of 2 records…\n');
  });
});
