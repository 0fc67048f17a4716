/**
 * A PostgreSQL left running on Parley's data folder by a previous Parley that
 * died without stopping it (`kill -9`, OOM killer, power to the container):
 * PostgreSQL refuses to start a second server on the folder, so it is found
 * through its `postmaster.pid` and stopped cleanly before ours starts.
 * The caller holds the folder lock, so no live Parley is using that server.
 *
 * Only a process that is really a PostgreSQL of this folder is signalled
 * (its command line names the folder); a lock file naming some other process
 * (the pid was reused) is left to PostgreSQL, which removes stale ones itself.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logger.js';

/** Fast shutdown (SIGINT) gets this long: it ends sessions and checkpoints, usually in well under a second. */
const FAST_SHUTDOWN_MS = 15_000;
/** Then immediate shutdown (SIGQUIT): no checkpoint, PostgreSQL recovers from its WAL on the next start. */
const IMMEDIATE_SHUTDOWN_MS = 5_000;

/** True while `pid` is a process (not a zombie): signal 0 reaches it, or reaching it is forbidden. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

/** Stops the PostgreSQL named by `<databaseDir>/postmaster.pid` if one of this folder still runs. */
export async function stopOrphanPostgres(databaseDir: string, log: Logger): Promise<void> {
  const lockFile = await readFile(join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (lockFile === null) return;
  const [pidLine = '', dirLine = ''] = lockFile.split('\n');
  const pid = Number.parseInt(pidLine, 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  if (resolve(dirLine.trim()) !== resolve(databaseDir)) return;
  const command = await commandLineOf(pid);
  if (!command || !/postgres/.test(command) || !command.includes(resolve(databaseDir))) return;

  log.warn({ pid, databaseDir }, 'stopping the PostgreSQL a previous Parley left running');
  process.kill(pid, 'SIGINT');
  if (await exited(pid, FAST_SHUTDOWN_MS)) return;
  log.warn({ pid }, 'left-over PostgreSQL did not stop in time; immediate shutdown');
  process.kill(pid, 'SIGQUIT');
  if (await exited(pid, IMMEDIATE_SHUTDOWN_MS)) return;
  throw new Error(
    `A PostgreSQL (pid ${pid}) left running on ${databaseDir} by an earlier Parley does not stop. ` +
      'Stop it by hand (kill it), then start Parley again.',
  );
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/** The process's command line: /proc on Linux, `ps` elsewhere; null when unknown. */
async function commandLineOf(pid: number): Promise<string | null> {
  const proc = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  if (proc !== null) return proc.split('\0').join(' ');
  try {
    const { stdout } = await promisify(execFile)('ps', ['-o', 'command=', '-p', String(pid)]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** A zombie (dead, not yet reaped by its parent) still answers signal 0; /proc tells. Unknown → not a zombie. */
function isZombie(pid: number): boolean {
  try {
    // `pid (comm) S ...`: the state follows the last ')' (comm may itself contain parentheses).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
