// Runs the driftwatch command in-process with a captured io: what the tests of the CLI read.
import { type Io, main } from '../../functions/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An io that collects stdout and stderr, with a fixed clock. */
export function capturingIo(now: string): { io: Io; out: () => { stdout: string; stderr: string } } {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    stderrIsTty: false,
    now: () => new Date(now),
  };
  return { io, out: () => ({ stdout, stderr }) };
}

/** A runner of `driftwatch ARGV...` whose clock reads `now`. */
export function cliRunner(now: string): (...argv: string[]) => Promise<CliRun> {
  return async (...argv) => {
    const { io, out } = capturingIo(now);
    const code = await main(argv, io);
    return { code, ...out() };
  };
}
