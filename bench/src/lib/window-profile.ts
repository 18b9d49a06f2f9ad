/**
 * A CPU profile of one measured window inside a worker (the inspector's profiler, what
 * `--cpu-prof` uses), so set-up work such as logging in thousands of sessions does not drown
 * the part being measured. Open the file in Chrome DevTools or speedscope.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

let session: Session | undefined;

/** Starts profiling this process (100 µs sampling). */
export async function startWindowProfile(): Promise<void> {
  if (session !== undefined) throw new Error('a window profile is already running');
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}

/** Stops profiling and writes the `.cpuprofile` to `path`. */
export async function stopWindowProfile(path: string): Promise<void> {
  if (session === undefined) throw new Error('no window profile is running');
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  session = undefined;
  await writeFile(path, JSON.stringify(profile));
}
