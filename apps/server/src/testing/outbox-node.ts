/**
 * Starts `outbox-worker-process.ts` as a child process — a node the crash
 * tests can SIGKILL for real — and resolves once it printed a line that
 * matches `until`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface OutboxNode {
  child: ChildProcess;
  output(): string;
  /** Resolves with the signal (or exit code) the process ended with. */
  exited(): Promise<NodeJS.Signals | number | null>;
}

export function startOutboxNode(
  databaseUrl: string,
  env: Record<string, string>,
  until: RegExp,
  /** Another node script (the email sender's: mail-worker-process.ts). */
  script = 'apps/server/src/testing/outbox-worker-process.ts',
): Promise<OutboxNode> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ended = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const node: OutboxNode = { child, output: () => output, exited: () => ended };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the outbox node printed nothing like ${until}:\n${output}`));
    }, 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (until.test(output)) {
        clearTimeout(timer);
        resolve(node);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
  });
}
