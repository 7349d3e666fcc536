/**
 * The writer of structured log lines (contracts/log-line.ts builds them). Every line of the
 * pipeline goes through here, so each is one JSON object with `level` and `message` first.
 */
import { type LogFields, type LogLevel, logLine } from '../contracts/log-line.ts';

/** Where one line goes: a run's `deps.log` (tests collect it), else the console. */
export type LineWriter = (line: string) => void;

/** Writes one structured line per call. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * A logger writing info and warn lines to `out`, and error lines to stderr (`console.error`,
 * which Lambda marks as errors in the log stream). The console is looked up per line, not
 * captured here, so a console replaced later (a test's spy) still gets the lines.
 */
export function logger(out?: LineWriter): Logger {
  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    const line = logLine(level, message, fields);
    if (level === 'error') console.error(line);
    else if (out) out(line);
    else console.log(line);
  };
  return {
    log: write,
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
