import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc/<pid>/stat times, 100 on every Linux platform Node runs on. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds a process has used so far (user + system, fields 14 and 15 of /proc/<pid>/stat). Unlike requests per
 * second, CPU time per request hardly moves with what else the machine runs.
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it are plain numbers.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
