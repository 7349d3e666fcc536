/** Questions on the terminal: the prompt goes to stderr, the answer is one line of stdin. */
import { createInterface } from 'node:readline';

/** Asks `question`; resolves to the line answered, or null when stdin ends first. */
export function stdinPrompt(question: string): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({
      input: process.stdin,
      output: process.stderr,
      terminal: Boolean(process.stdin.isTTY),
    });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
    rl.on('close', () => {
      if (!answered) resolve(null);
    });
  });
}
