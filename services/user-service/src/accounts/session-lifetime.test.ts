import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { earliestRunningAuthTime, sessionEnd, sessionHasEnded } from './session-lifetime.js';

const instant = fc.integer({ min: 1_000_000_000_000, max: 4_000_000_000_000 });
const lifetime = fc.integer({ min: 1, max: 31_536_000 });

describe('session lifetime', () => {
  it('ends a session its maximum lifetime after auth_time, counted in the claim’s whole seconds', () => {
    expect(sessionEnd(1_700_000_000_999, 3600)).toBe(1_700_003_600_000);
    expect(sessionHasEnded(1_700_000_000_999, 3600, 1_700_003_599_999)).toBe(false);
    expect(sessionHasEnded(1_700_000_000_999, 3600, 1_700_003_600_000)).toBe(true);
  });

  it('never ends a session later than authTime + the lifetime, nor a second or more sooner', () => {
    fc.assert(
      fc.property(instant, lifetime, (authTime, max) => {
        const end = sessionEnd(authTime, max);
        expect(end).toBeLessThanOrEqual(authTime + max * 1000);
        expect(end).toBeGreaterThan(authTime + max * 1000 - 1000);
      }),
    );
  });

  it('lets a database filter on authTime keep exactly the sessions that have not ended', () => {
    fc.assert(
      fc.property(instant, lifetime, fc.integer({ min: -1000, max: 1000 }), (now, max, skew) => {
        // authTime near the boundary, where a rounding slip would show.
        const authTime = now - max * 1000 + skew;
        const running = authTime >= earliestRunningAuthTime(now, max);
        expect(running).toBe(!sessionHasEnded(authTime, max, now));
      }),
    );
  });
});
