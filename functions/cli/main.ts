/**
 * The driftwatch command: the engine's local door. Parses the command and hands its arguments
 * to the subcommand's module, which drives the same pipeline as the Lambdas; maps what fails to
 * a message and an exit status.
 */
import { terminalText } from '../engine/render/terminal-text.ts';
import { BaselineFileError } from '../engine/sagemaker/baseline-error.ts';
import { TrainingDataError } from '../sources/training-data.ts';
import { baselineCommand } from './baseline-command.ts';
import { joinNegativeValues } from './flags.ts';
import { type Io, processIo, withSafeStderr } from './io.ts';
import { reportCommand } from './report-command.ts';
import { runCommand } from './run-command.ts';
import { HELP, UsageError, VERSION } from './usage.ts';

export type { Io } from './io.ts';

/** Runs `driftwatch ARGV...` with `io`; returns the exit status (driftwatch --help lists them). */
export async function main(argv: string[], given: Io = processIo): Promise<number> {
  const io = withSafeStderr(given);
  try {
    const [command, ...args] = argv;
    const rest = joinNegativeValues(args);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (command === 'baseline') return await baselineCommand(rest, io);
    if (command === 'run') return await runCommand(rest, io);
    if (command === 'report') return await reportCommand(rest, io);
    if (command === 'grafana') return await (await import('./grafana-command.ts')).grafanaCommand(rest, io);
    if (command === 'endpoint') {
      // Loaded on demand: it brings the SageMaker client, which no other command needs.
      const { endpointCommand } = await import('./endpoint-command.ts');
      return await endpointCommand(rest, io);
    }
    throw new UsageError(
      `unknown command "${command}"; use baseline, run, report, endpoint or grafana (driftwatch --help)`,
    );
  } catch (e) {
    if (e instanceof UsageError || e instanceof BaselineFileError || e instanceof TrainingDataError) {
      // Messages quote names and values from data: shown as text, never obeyed by the terminal.
      io.stderr(`driftwatch: ${terminalText(e.message)}\n`);
      return 2;
    }
    if (
      (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
    ) {
      io.stderr(`driftwatch: ${terminalText((e as Error).message)} (driftwatch --help)\n`);
      return 2;
    }
    io.stderr(`driftwatch: ${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}
