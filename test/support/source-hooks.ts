/**
 * Preloaded (`--import`) into the child processes {@link forkWorker} starts, so they run the
 * workspace's TypeScript sources as vitest does, without a build: Node transforms the types
 * away, and the `@revocation-fabric/source` condition (a flag of the fork) leads packages to
 * their `src/`. Our sources import each other as `./x.js` (what `tsc` emits); Node looks for that
 * file literally, so a `.js` specifier from a `.ts` file that does not resolve is retried as `.ts`.
 */
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const fromSource = context.parentURL?.endsWith('.ts') === true;
      if (!fromSource || !specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
      return nextResolve(`${specifier.slice(0, -'.js'.length)}.ts`, context);
    }
  },
});
