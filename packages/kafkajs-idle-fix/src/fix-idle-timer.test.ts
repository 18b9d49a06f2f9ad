import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixKafkajsIdleTimer } from './fix-idle-timer.js';

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  checkPendingRequests(): void;
  maybeThrottle(ms: number): void;
}
type RequestQueueClass = new (options: Record<string, unknown>) => RequestQueue;

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as RequestQueueClass;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const newQueue = (): RequestQueue =>
  new RequestQueue({
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    clientId: 'test',
    broker: 'b:9092',
    logger: silent,
  });

describe('fixKafkajsIdleTimer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('ends the 1 ms timer loop of an idle kafkajs 2.2.4 connection, and only that', () => {
    // The bug as shipped: a response on an idle connection leaves a timer that re-arms every 1 ms.
    const before = newQueue();
    before.checkPendingRequests();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(50);
    expect(vi.getTimerCount()).toBe(1); // still looping
    vi.clearAllTimers();

    expect(fixKafkajsIdleTimer(import.meta.url)).toBe('applied');
    const idle = newQueue();
    idle.checkPendingRequests();
    expect(vi.getTimerCount()).toBe(0);

    // A broker-requested throttle with a request waiting still schedules the check kafkajs needs.
    const throttled = newQueue();
    throttled.maybeThrottle(200);
    throttled.pending.push({});
    throttled.checkPendingRequests();
    expect(vi.getTimerCount()).toBe(1);
  });

  it('applies once per process, whoever calls it', () => {
    fixKafkajsIdleTimer(import.meta.url);
    expect(fixKafkajsIdleTimer(import.meta.url)).toBe('already-applied');
    expect(fixKafkajsIdleTimer(new URL(import.meta.url))).toBe('already-applied');
  });

  it('leaves other kafkajs versions and unfamiliar code alone', () => {
    const apps: string[] = [];
    // A fresh folder per case: require's cache would otherwise answer from the previous one.
    const appWithKafkajs = (version: string, requestQueueSource: string): URL => {
      const app = mkdtempSync(join(tmpdir(), 'kafkajs-idle-fix-'));
      apps.push(app);
      const queueDir = join(app, 'node_modules/kafkajs/src/network/requestQueue');
      mkdirSync(queueDir, { recursive: true });
      writeFileSync(
        join(app, 'node_modules/kafkajs/package.json'),
        JSON.stringify({ name: 'kafkajs', version }),
      );
      writeFileSync(join(queueDir, 'index.js'), requestQueueSource);
      return pathToFileURL(join(app, 'index.js'));
    };
    const unfamiliar = 'module.exports = class RequestQueue { scheduleCheckPendingRequests() {} }';
    try {
      expect(fixKafkajsIdleTimer(appWithKafkajs('2.3.0', unfamiliar))).toBe('not-needed');
      expect(fixKafkajsIdleTimer(appWithKafkajs('2.2.4', unfamiliar))).toBe('unrecognized');
    } finally {
      for (const app of apps) rmSync(app, { recursive: true, force: true });
    }
  });
});
