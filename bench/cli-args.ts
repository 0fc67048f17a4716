/** Reading the benchmarks' command-line numbers: one rule and one message for every script. */

/** `value` as a positive number, or an error naming the option (`--name`). */
export function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}
