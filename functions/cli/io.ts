/**
 * What the commands read and write outside their arguments: output, the clock, the terminal's
 * questions. `main` runs with the process's; tests pass their own and read what was written.
 */
import { terminalText } from '../engine/render/terminal-text.ts';
import { stdinPrompt } from './prompt.ts';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** True when stderr is a terminal (progress is redrawn in place). */
  stderrIsTty: boolean;
  now: () => Date;
  /**
   * Asks a question and resolves to the line answered, or null at end of input. Commands that
   * change things (endpoint rollback) ask before; without it they need --yes.
   */
  prompt?: (question: string) => Promise<string | null>;
  /**
   * HTTP requests (run --pushgateway).
   * @default the global fetch
   */
  fetch?: typeof fetch;
}

/** The process's own: stdout, stderr, the system clock and questions on the terminal. */
export const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stderrIsTty: Boolean(process.stderr.isTTY),
  now: () => new Date(),
  prompt: stdinPrompt,
};

/**
 * `io` with every stderr line shown as text (control characters, ANSI escapes, bidi characters
 * and a leading `::` escaped): messages quote file names, feature names and values from data.
 * The line breaks between lines, and a progress line's leading carriage return, are kept.
 */
export function withSafeStderr(io: Io): Io {
  return {
    ...io,
    stderr: (s) => {
      const redraw = s.startsWith('\r') ? '\r' : '';
      io.stderr(redraw + s.slice(redraw.length).split('\n').map(terminalText).join('\n'));
    },
  };
}
