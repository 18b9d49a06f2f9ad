/** CPU time of a process as the kernel accounts it: `/proc/<pid>/stat`, utime + stime. */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc`'s CPU times (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS_PER_S = 100;

/** utime + stime of `pid`, ms (10 ms resolution). */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count from its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_S;
}
