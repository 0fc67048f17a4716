/**
 * `npm run parley -- <command>`: the server's command line, for whoever runs
 * it. Uses the same configuration as `npm start` (DATABASE_URL, or the
 * embedded PostgreSQL under DATA_DIR — stop the server first then, since one
 * folder serves one process), applies migrations, runs one command, exits.
 *
 *   create-owner EMAIL [--password-stdin]
 *   reset-password EMAIL [--password-stdin]
 *
 * Without --password-stdin each prints a one-time link (valid a week) that
 * sets the password in the console; with it, the password is read from stdin.
 */
import { loadEnv } from '../env.js';
import { createLogger } from '../logger.js';
import { startServices } from '../services.js';
import { CliError, createOwner, resetPassword } from './team-commands.js';

const USAGE = `Usage:
  npm run parley -- create-owner EMAIL [--password-stdin]
  npm run parley -- reset-password EMAIL [--password-stdin]

Without --password-stdin, prints a one-time link (valid 7 days) that sets the password.
With it, reads the password from stdin, e.g.  printf '%s' "$PASSWORD" | npm run parley -- reset-password you@shop.example --password-stdin
`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline (from echo or a terminal) is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(args: string[]): Promise<number> {
  const [command, email, ...flags] = args;
  const fromStdin = flags.includes('--password-stdin');
  if (
    !command ||
    !email ||
    !['create-owner', 'reset-password'].includes(command) ||
    flags.some((f) => f !== '--password-stdin')
  ) {
    process.stderr.write(USAGE);
    return 2;
  }
  const password = fromStdin ? await readStdin() : undefined;
  const env = loadEnv();
  // The server's start-up lines (info, the default) would bury the command's answer.
  const log = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, 'cli');
  const services = await startServices(env, log);
  try {
    const host = env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST;
    const baseUrl = env.PUBLIC_URL ?? `http://${host}:${env.PORT}`;
    const output =
      command === 'create-owner'
        ? await createOwner(services.ctx.db, baseUrl, email, password)
        : await resetPassword(services.ctx, baseUrl, email, password);
    process.stdout.write(output);
    return 0;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    await services.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
