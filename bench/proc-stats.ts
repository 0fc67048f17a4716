/**
 * What the benchmark reads about processes from /proc (Linux only): resident
 * memory of the server, and CPU time of the server and of every PostgreSQL
 * process — CPU shares tell which side of the message path saturates first.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** VmRSS of a process in KiB. */
export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** Fields of /proc/<pid>/stat after the command name (index 0 is field 3, the state); null if the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** User + system CPU seconds a process has used so far; 0 if it is gone. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15.
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS : 0;
}

/**
 * CPU seconds of every PostgreSQL server on the machine (the embedded one and the machine's): each `postgres`
 * process's own time, plus, for each postmaster, the time of the backends it has already reaped (cutime and
 * cstime), so connections that ended during a phase still count.
 */
export function postgresCpuSeconds(): number {
  const postgres = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') postgres.add(Number(entry));
    } catch {
      // The process ended between listing and reading.
    }
  }
  let total = 0;
  for (const pid of postgres) {
    const fields = statFields(pid);
    if (!fields) continue;
    total += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    // A postmaster is the postgres process whose parent (field 4) is not one.
    if (!postgres.has(Number(fields[1]))) total += (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  }
  return total;
}

/** Samples CPU seconds of some processes; `stop` gives each one's average share of one core (1 = 100 %). */
export function cpuMeter(read: () => number): () => number {
  const startCpu = read();
  const startAt = performance.now();
  return () => (read() - startCpu) / ((performance.now() - startAt) / 1000);
}
