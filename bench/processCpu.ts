import { readFileSync } from 'node:fs';

// Linux reports utime/stime in clock ticks, 100 per second on every mainstream kernel config (getconf CLK_TCK).
const ticksPerSecond = 100;

/**
 * CPU time (user + system, ms) another process has used so far, from /proc/<pid>/stat; undefined where /proc is
 * missing (macOS, Windows) or the process is gone. CPU time is less sensitive than wall time to a busy machine.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** This process's CPU time so far (user + system, ms). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
