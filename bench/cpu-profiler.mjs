/**
 * Preload for profiling Parley under the message-path benchmark
 * (`--profile`): Node 20 refuses `--cpu-prof` in NODE_OPTIONS, but accepts
 * `--import` of this file. It starts V8's sampling profiler at once and, when
 * the process exits, writes a .cpuprofile (the format of `--cpu-prof`, read
 * by `profile-summary.ts`) into $BENCH_CPU_PROFILE_DIR.
 *
 * Plain JavaScript: it loads before tsx can compile anything.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  // 1 ms sampling, as `--cpu-prof` does by default.
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  // A same-thread inspector session answers synchronously, so this works inside 'exit'.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error || !result) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `parley-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
