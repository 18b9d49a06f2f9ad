import { describe, expect, it } from 'vitest';
import { suiteFixture } from './suite-fixture.js';

describe('suiteFixture', () => {
  it('reads the started value through the view, and refuses reads before the start and after the stop', async () => {
    const stopped: string[] = [];
    const fixture = suiteFixture('the server', (onStop) => {
      onStop(() => Promise.resolve(void stopped.push('database')));
      onStop(() => Promise.resolve(void stopped.push('server')));
      return Promise.resolve({ port: 8080 });
    });
    expect(() => fixture.view.port).toThrow(/the server is not running/);
    await fixture.setUp();
    expect(fixture.view.port).toBe(8080);
    await fixture.tearDown();
    expect(stopped).toEqual(['server', 'database']);
    expect(() => fixture.view.port).toThrow(TypeError);
  });

  it('stops what a failed start had started, and every stop despite a failing one', async () => {
    const stopped: string[] = [];
    const fixture = suiteFixture('the half-started server', (onStop) => {
      onStop(() => Promise.resolve(void stopped.push('database')));
      onStop(() => Promise.reject(new Error('stuck')));
      return Promise.reject(new Error('no port'));
    });
    await expect(fixture.setUp()).rejects.toThrow('no port');
    await expect(fixture.tearDown()).rejects.toThrow('stuck');
    expect(stopped).toEqual(['database']);
  });
});
