import { describe, expect, it, vi } from 'vitest';
import { lifecycle } from './lifecycle.js';

describe('lifecycle', () => {
  it('starts once for concurrent callers and stops once', async () => {
    const start = vi.fn(() => Promise.resolve('http://x'));
    const stop = vi.fn(() => Promise.resolve());
    const life = lifecycle('svc', { start, stop });
    expect(life.state).toBe('created');
    const [a, b] = await Promise.all([life.start(), life.start()]);
    expect([a, b, start.mock.calls.length, life.state]).toEqual([
      'http://x',
      'http://x',
      1,
      'running',
    ]);
    await Promise.all([life.stop(), life.stop()]);
    expect([stop.mock.calls.length, life.state]).toEqual([1, 'stopped']);
  });

  it('refuses to start again once stopped', async () => {
    const life = lifecycle('svc', {
      start: () => Promise.resolve(1),
      stop: () => Promise.resolve(),
    });
    await life.start();
    await life.stop();
    await expect(life.start()).rejects.toThrow('a stopped svc cannot start again');
  });

  it('waits for a start in progress before stopping, also a failed one', async () => {
    const order: string[] = [];
    let finish!: () => void;
    const life = lifecycle('svc', {
      start: () =>
        new Promise<void>((resolve, reject) => {
          finish = () => {
            order.push('start failed');
            reject(new Error('no database'));
          };
        }),
      stop: () => {
        order.push('stop');
        return Promise.resolve();
      },
    });
    const started = life.start();
    const stopped = life.stop();
    finish();
    await expect(started).rejects.toThrow('no database');
    await stopped;
    expect(order).toEqual(['start failed', 'stop']);
  });
});
