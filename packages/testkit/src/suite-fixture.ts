/** A fixture a test suite's hooks start and stop, read by its tests through {@link view}. */
export interface SuiteFixture<T extends object> {
  /** The started value's fields, read through: reading one while nothing is started throws. */
  readonly view: T;
  /** Starts the value; for a `beforeAll` hook. */
  readonly setUp: () => Promise<void>;
  /** Runs the stops registered so far, last first; for the matching `afterAll` hook. */
  readonly tearDown: () => Promise<void>;
}

/**
 * A value a suite starts once before its tests and stops after them, which its tests read as
 * if it were there from the start: `view.field` reads the started value's field. `start` hands
 * each resource's stop to `onStop` as soon as the resource exists, so a start that fails halfway
 * still stops what it started. The hooks are the caller's (the testkit does not depend on a test
 * runner). Reading the view before `setUp` has finished or after `tearDown` throws a `TypeError`
 * naming `name`; a failing stop does not keep the others from running, and the first failure is
 * rethrown after them.
 *
 * @example
 * ```ts
 * const fixture = suiteFixture('the service', async (onStop) => {
 *   const database = await createTestDatabase('sqlite');
 *   onStop(() => database.drop());
 *   const service = await startService(database.env);
 *   onStop(() => service.stop());
 *   return { service };
 * });
 * beforeAll(fixture.setUp);
 * afterAll(fixture.tearDown);
 * it('answers', async () => expect((await fetch(fixture.view.service.url)).ok).toBe(true));
 * ```
 */
export function suiteFixture<T extends object>(
  name: string,
  start: (onStop: (stop: () => Promise<void>) => void) => Promise<T>,
): SuiteFixture<T> {
  let started: T | undefined;
  const stops: Array<() => Promise<void>> = [];
  const running = (): T => {
    if (started === undefined) {
      throw new TypeError(`${name} is not running: read it inside a test or a later hook`);
    }
    return started;
  };
  return {
    view: new Proxy({} as T, {
      get: (_target, field) => Reflect.get(running(), field) as unknown,
    }),
    setUp: async () => {
      started = await start((stop) => stops.push(stop));
    },
    tearDown: async () => {
      started = undefined;
      const failures: unknown[] = [];
      for (const stop of stops.splice(0).reverse()) {
        try {
          await stop();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    },
  };
}
